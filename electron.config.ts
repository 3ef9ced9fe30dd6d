// electron-builder configuration (`npm run dist`; electron-builder 26 reads this TypeScript file
// itself). It packs the built app (out/, see src-main/app/bundle-layout.ts), the icons, the model
// and the production node_modules into app.asar, and leaves beside it, in app.asar.unpacked,
// what must be a real file on disk: the model (read by path), the tfjs WebAssembly binaries
// (loaded by path), the bundled ffmpeg executable (spawned; nothing runs from inside an archive)
// and the demo library (copied from there into the data folder on first use; writes go to the
// copy). The analysis worker (out/main/analysis-worker.js) stays in the archive: utility
// processes read app.asar as the main process does. test/app/electron-config.test.ts checks every path named here.
import type { Configuration } from 'electron-builder';
import { DEMO_DIR, ICONS_DIR, MODEL_DIR, OUT_DIR } from './src-main/app/bundle-layout.ts';

export const asarUnpack = [
  `${MODEL_DIR}/**`,
  `${DEMO_DIR}/**`,
  'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
  'node_modules/@ffmpeg-installer/**',
];

const config: Configuration = {
  appId: 'app.betti.tagger',
  productName: 'Betti',
  copyright: 'Copyright © 2026 the Betti authors',
  // Build inputs electron-builder looks up by name (icons are named explicitly below).
  directories: { output: 'dist', buildResources: 'resources' },
  // audio-decode's AAC decoder is GPL-2.0-only, which Betti's GPL-3.0-or-later cannot combine
  // with: it stays out of the app, and AAC/M4A decode through ffmpeg (README, "Decoding").
  files: [`${OUT_DIR}/main/**/*`, `${OUT_DIR}/renderer/**/*`, `${MODEL_DIR}/**/*`, `${DEMO_DIR}/*`, `${ICONS_DIR}/*.png`, 'package.json', '!**/*.map', '!node_modules/@audio/decode-aac/**'],
  asar: true,
  asarUnpack,
  // tfjs-node (optional) is a Node-API addon: it runs in Electron without a rebuild, and a
  // rebuild from source would need its whole toolchain on the packaging machine.
  npmRebuild: false,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Audio',
    icon: ICONS_DIR,
    maintainer: 'The Betti authors',
    synopsis: 'A music-library tagger that listens',
    executableName: 'betti',
  },
  win: { target: ['nsis'], icon: `${ICONS_DIR}/256x256.png` },
  // The uninstaller keeps the library (the per-user data folder): README says how to remove it.
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, deleteAppDataOnUninstall: false },
  mac: { target: ['dmg'], category: 'public.app-category.music', icon: `${ICONS_DIR}/1024x1024.png` },
  dmg: { icon: `${ICONS_DIR}/1024x1024.png` },
};

export default config;
