// `betti settings [options]`: shows the write settings, and changes the ones given. The same
// settings the app's Write view edits (api/schemas/settings.ts holds their rules and defaults):
// a change is checked whole and saved whole, or refused with nothing saved.
import { BettiError } from '../../api/errors.ts';
import { Id3VersionSetting, WriteMode, type Settings, type SettingsPatch } from '../../api/schemas/settings.ts';
import { defineCommand } from '../command.ts';

type WritePatch = NonNullable<SettingsPatch['write']>;

/** --mode: append or replace (`betti settings` and `betti apply --accepted`), or undefined when absent. */
export function writeModeOption(value: unknown): WriteMode | undefined {
  if (value === undefined) return undefined;
  const m = WriteMode.safeParse(String(value));
  if (!m.success) throw new BettiError('invalid-request', `--mode must be ${WriteMode.options.join(' or ')}, not ${JSON.stringify(value)}.`);
  return m.data;
}

/** The patch the options ask for (empty: only show). Commander hands strings and booleans. */
function patchOf(opts: Record<string, unknown>): WritePatch {
  const patch: WritePatch = {};
  if (opts.customField !== undefined) patch.customField = String(opts.customField);
  // The version and the mode are checked here too, to name the flag and the choices rather than the schema's path.
  if (opts.id3Version !== undefined) {
    const v = Id3VersionSetting.safeParse(String(opts.id3Version));
    if (!v.success) throw new BettiError('invalid-request', `--id3-version must be ${Id3VersionSetting.options.join(' or ')}, not ${JSON.stringify(opts.id3Version)}.`, { hint: 'ID3v2.4 keeps several values per field; choose 2.3 only for players that cannot read 2.4.' });
    patch.id3Version = v.data;
  }
  if (opts.separator !== undefined) patch.id3v23Separator = String(opts.separator);
  if (opts.keepMtime !== undefined) patch.keepMtime = opts.keepMtime === true;
  const mode = writeModeOption(opts.mode);
  if (mode !== undefined) patch.defaultMode = mode;
  return patch;
}

function human(s: Settings): string {
  const w = s.write;
  return [
    `custom field        ${w.customField}   (tags that are neither genre nor mood)`,
    `ID3 version         ${w.id3Version}   (MP3, WAV and AIFF)`,
    `ID3v2.3 separator   ${JSON.stringify(w.id3v23Separator)}   (joins several values in one ID3v2.3 frame)`,
    `keep file mtime     ${w.keepMtime ? 'yes' : 'no'}`,
    `default mode        ${w.defaultMode}   (${w.defaultMode === 'append' ? 'accepted tags are added to the values a field has' : 'accepted tags replace the values a field has'})`,
  ].join('\n');
}

export const settingsCommand = defineCommand<Settings>({
  usage: 'settings',
  describe: 'Show the write settings, or change the ones given (checked and saved together, or not at all)',
  options: [
    { flags: '--custom-field <name>', description: 'where tags that are neither genre nor mood go (default BETTI_TAGS; any case, stored upper case)' },
    { flags: '--id3-version <version>', description: 'ID3v2 version written to MP3, WAV and AIFF: 2.4 (default) or 2.3' },
    { flags: '--separator <text>', description: 'how ID3v2.3 joins several values in one frame (default "; ")' },
    { flags: '--keep-mtime', description: "keep each file's modification time after writing" },
    { flags: '--no-keep-mtime', description: 'let writing update the modification time (the default)' },
    { flags: '--mode <mode>', description: 'append (default): add accepted tags to existing values; replace: replace them' },
  ],
  async run(ctx, _args, opts) {
    const patch = patchOf(opts);
    if (Object.keys(patch).length === 0) return ctx.client['settings.get']({});
    return ctx.client['settings.set']({ write: patch });
  },
  human,
});
