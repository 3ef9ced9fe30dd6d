// Where an ffmpeg executable comes from: the one on the user's PATH ("system"), or the static
// build shipped inside the npm package @ffmpeg-installer/<platform> ("bundled"). Each is probed
// once per process for what it can run (the soxr resampler is optional in ffmpeg builds).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

export type FfmpegSource = 'system' | 'bundled';

export interface FfmpegBinary {
  readonly source: FfmpegSource;
  readonly path: string;
  /** libsoxr is linked in (aresample=resampler=soxr works). */
  readonly soxr: boolean;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `ffmpeg` on PATH (BETTI_FFMPEG, when set, names the executable to use instead). */
export function findSystemFfmpeg(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.BETTI_FFMPEG;
  if (explicit) return isExecutableFile(explicit) ? explicit : undefined;
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The binary of @ffmpeg-installer/ffmpeg for this platform, if its package is installed. */
export function findBundledFfmpeg(): string | undefined {
  try {
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
    // In a packaged Electron app the binary is unpacked beside the asar archive (electron.config.ts).
    const path = installer.path.replace(`app.asar${process.platform === 'win32' ? '\\' : '/'}`, `app.asar.unpacked${process.platform === 'win32' ? '\\' : '/'}`);
    return isExecutableFile(path) ? path : undefined;
  } catch {
    // The installer throws a string for an unsupported platform or a missing platform package.
    return undefined;
  }
}

function runsSoxr(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(path, ['-nostdin', '-hide_banner', '-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '0.05', '-af', 'aresample=16000:resampler=soxr', '-f', 'null', '-'], {
      stdio: 'ignore',
    });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

const probed = new Map<string, Promise<FfmpegBinary | undefined>>();

/** The ffmpeg of `source` with its capabilities, or undefined where there is none. Cached. */
export function ffmpegBinary(source: FfmpegSource): Promise<FfmpegBinary | undefined> {
  const path = source === 'system' ? findSystemFfmpeg() : findBundledFfmpeg();
  if (path === undefined) return Promise.resolve(undefined);
  const key = `${source}:${path}`;
  let found = probed.get(key);
  if (!found) {
    found = runsSoxr(path).then((soxr) => ({ source, path, soxr }));
    probed.set(key, found);
  }
  return found;
}
