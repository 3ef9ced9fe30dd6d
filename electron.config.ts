// electron-builder configuration (`npm run dist`). The model, the wasm binaries and any bundled
// decoder are unpacked from the asar archive: tfjs-wasm and ffmpeg need real files on disk.
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'app.betti.tagger',
  productName: 'Betti',
  copyright: 'Copyright © 2026 the Betti authors',
  directories: { output: 'dist', buildResources: 'resources' },
  files: ['out/**/*', 'resources/model/**/*', 'package.json', '!**/*.map'],
  asarUnpack: [
    'resources/model/**',
    'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
    'node_modules/taglib-wasm/**/*.wasm',
    'node_modules/@ffmpeg-installer/**',
  ],
  linux: { target: ['AppImage', 'deb'], category: 'Audio' },
  win: { target: ['nsis'] },
  mac: { target: ['dmg'], category: 'public.app-category.music' },
};

export default config;
