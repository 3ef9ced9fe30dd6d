// The write settings as a form: what is saved, the person's edits to it, and saving them. The core
// checks a change whole and saves it whole or not at all (api/schemas/settings.ts), so the form
// sends only what differs from what is saved and shows the core's reason when it refuses.
import type { BettiApi } from '../../../src-main/api/contract.ts';
import { errorText, type ErrorText } from '../../ui/error-text.ts';
import type { WriteSettings } from './types.ts';

export type Api = Pick<BettiApi, 'settings.get' | 'settings.set'>;

type Field = keyof WriteSettings;

export class WriteSettingsState {
  readonly #api: Api;
  /** What the core has saved (null until loaded). */
  saved = $state.raw<WriteSettings | null>(null);
  /** The form's values: the saved ones plus the person's edits. */
  draft = $state<WriteSettings | null>(null);
  saving = $state(false);
  error = $state.raw<ErrorText | null>(null);
  /** What the last save did, in words (for a polite live region). */
  message = $state('');
  /** Whether the panel is unfolded. */
  open = $state(false);
  /** The panel should take the keyboard focus as soon as its form is there (Settings… in the menu). */
  focusPending = $state(false);

  constructor(api: Api) {
    this.#api = api;
  }

  /** The fields whose form value differs from the saved one. */
  get changed(): Field[] {
    const saved = this.saved;
    const draft = this.draft;
    if (!saved || !draft) return [];
    return (Object.keys(saved) as Field[]).filter((f) => draft[f] !== saved[f]);
  }

  async load(): Promise<void> {
    try {
      const s = await this.#api['settings.get']({});
      this.saved = s.write;
      this.draft = { ...s.write };
      this.error = null;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  /** Saves the changed fields; true when something was saved. On a refusal the edits stay in the form. */
  async save(): Promise<boolean> {
    const draft = this.draft;
    const changed = this.changed;
    if (!draft || changed.length === 0 || this.saving) return false;
    this.saving = true;
    this.error = null;
    this.message = '';
    try {
      const patch = Object.fromEntries(changed.map((f) => [f, draft[f]])) as Partial<WriteSettings>;
      const s = await this.#api['settings.set']({ write: patch });
      this.saved = s.write;
      this.draft = { ...s.write }; // in the core's form (the custom field upper case)
      this.message = 'Settings saved.';
      return true;
    } catch (err) {
      this.error = errorText(err);
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Unfolds the panel and asks for the focus (the desktop menu's Settings…); the form takes it once loaded. */
  reveal(): void {
    this.open = true;
    this.focusPending = true;
  }

  /** Drops the edits. */
  revert(): void {
    if (this.saved) this.draft = { ...this.saved };
    this.error = null;
    this.message = '';
  }
}
