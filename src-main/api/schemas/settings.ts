// Contract part: the settings a person chooses. Each section has defaults here, so an empty
// settings table means "all defaults". Only the write path has settings so far.
import { z } from 'zod';
import { canonicalFieldName, DEFAULT_CUSTOM_FIELD, DEFAULT_ID3V23_SEPARATOR, fieldNameProblem, id3Versions } from '../../tags/fields.ts';
import { method } from './define.ts';

export const WriteMode = z.enum(['append', 'replace']);
export type WriteMode = z.infer<typeof WriteMode>;
export const Id3VersionSetting = z.enum(id3Versions);

export const WriteSettings = z.object({
  /**
   * Where tags that are neither genre nor mood go (ID3 TXXX, Vorbis comment, MP4 freeform). Taken in
   * any case, as write plans and `learn --field` take field names, and kept in Betti's form.
   */
  customField: z
    .string()
    .default(DEFAULT_CUSTOM_FIELD)
    .transform(canonicalFieldName)
    .superRefine((name, ctx) => {
      const problem = name === 'GENRE' || name === 'MOOD' ? `the custom field cannot be ${name}` : fieldNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** ID3v2 version of the tags written to MP3, WAV and AIFF (2.3 for players that need it). */
  id3Version: Id3VersionSetting.default('2.4'),
  /** How ID3v2.3 joins several values into one frame (it has no multi-valued frames). */
  id3v23Separator: z
    .string()
    .min(1, 'the ID3v2.3 separator needs at least one character ("; " by default)')
    .max(8, 'the ID3v2.3 separator is at most 8 characters')
    .default(DEFAULT_ID3V23_SEPARATOR),
  /** Keep each file's modification time after writing (some players sort by it). */
  keepMtime: z.boolean().default(false),
  /** Whether accepted tags are added to a field's existing values or replace them. */
  defaultMode: WriteMode.default('append'),
});
export type WriteSettings = z.infer<typeof WriteSettings>;

export const Settings = z.object({ write: WriteSettings.default(WriteSettings.parse({})) });
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    write: z
      .object({
        customField: z.string(),
        id3Version: Id3VersionSetting,
        id3v23Separator: z.string(),
        keepMtime: z.boolean(),
        defaultMode: WriteMode,
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settingsMethods = {
  'settings.get': method({ summary: 'The current settings (defaults filled in).', request: z.object({}).strict(), response: Settings }),
  'settings.set': method({
    summary: 'Changes some settings; returns all of them. Invalid values are refused, nothing is half-saved.',
    request: SettingsPatch,
    response: Settings,
  }),
};
