// The flow debugger's bar under the header: the WhatsApp view toggle, Compare…, and the persona the
// author chats as. Personas (and Why?, Variables) need the sandbox, whose engine is ours; on any
// other server the bar says so once instead of offering controls that could not work.
import type { SessionInfo } from '../../src/chat/transcript';
import type { WebviewToHost } from '../../src/protocol';
import type { Persona } from '../../src/sarufi/sandboxExtensions';
import { button, h, uniqueId } from './dom';

export const SANDBOX_ONLY_NOTE = "Personas are a sandbox feature, and so are Why? and Variables: Sarufi doesn't say why a bot answered.";

/** The channels the sandbox knows (src/sarufi/sandboxExtensions.ts); api is its default. */
const CHANNELS = ['api', 'whatsapp', 'web', 'ussd', 'sms'] as const;

export class DebugBar {
  readonly element: HTMLElement;
  private readonly whatsappToggle: HTMLButtonElement;
  private readonly personaToggle: HTMLButtonElement;
  private readonly personaForm: PersonaForm;
  private readonly note = h('p', { className: 'debug-note', text: SANDBOX_ONLY_NOTE });

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    whatsapp: boolean,
    private readonly setWhatsapp: (on: boolean) => void,
  ) {
    this.whatsappToggle = button('WhatsApp view', () => this.toggleWhatsapp(), {
      className: 'debug-button whatsapp-toggle',
      attrs: { 'aria-pressed': String(whatsapp), title: 'Show the conversation as WhatsApp would, with the limits it breaks marked' },
    });
    const compare = button('Compare…', () => this.post({ type: 'compare' }), {
      className: 'debug-button compare',
      attrs: { title: 'Pick another transcript and see both in the diff editor' },
    });
    this.personaForm = new PersonaForm((persona) => {
      this.setPersonaOpen(false);
      this.post({ type: 'setPersona', persona });
    });
    this.personaToggle = button('Persona…', () => this.setPersonaOpen(this.personaForm.element.hidden), {
      className: 'debug-button persona-toggle',
      attrs: { 'aria-expanded': 'false', 'aria-controls': this.personaForm.element.id, title: 'Chat as a test user: contact name, user id or phone, channel, language' },
    });
    this.setPersonaOpen(false);
    this.element = h('div', { className: 'debug-bar', attrs: { role: 'toolbar', 'aria-label': 'Flow debugger' } }, [
      h('div', { className: 'debug-actions' }, [this.whatsappToggle, compare, this.personaToggle]),
      this.note,
      this.personaForm.element,
    ]);
    this.element.hidden = true;
  }

  update(session: SessionInfo, readOnly: boolean): void {
    this.element.hidden = false;
    const sandbox = session.environmentId === 'sandbox';
    this.note.hidden = sandbox;
    // A persona starts a new session: nothing a read-only transcript does.
    this.personaToggle.hidden = !sandbox || readOnly;
    if (this.personaToggle.hidden) {
      this.setPersonaOpen(false);
    }
    this.personaForm.fill(session.persona ?? {});
  }

  private toggleWhatsapp(): void {
    const on = this.whatsappToggle.getAttribute('aria-pressed') !== 'true';
    this.whatsappToggle.setAttribute('aria-pressed', String(on));
    this.setWhatsapp(on);
  }

  private setPersonaOpen(open: boolean): void {
    this.personaForm.element.hidden = !open;
    this.personaToggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.personaForm.focus();
    }
  }
}

/** Contact name, user id or phone, channel and language; empty fields are left to the sandbox's defaults. */
class PersonaForm {
  readonly element: HTMLFormElement;
  private readonly contactName = field('text');
  private readonly userId = field('text');
  private readonly channel = h('select', { className: 'persona-channel' }, CHANNELS.map((channel) => h('option', { text: channel, attrs: { value: channel } })));
  private readonly language = field('text');

  constructor(submit: (persona: Persona) => void) {
    this.userId.placeholder = 'the session id';
    this.language.placeholder = 'e.g. sw, en';
    this.element = h('form', { className: 'persona-form', attrs: { id: uniqueId('persona'), 'aria-label': 'Persona' } }, [
      labelled('Contact name', this.contactName),
      labelled('User id or phone', this.userId),
      labelled('Channel', this.channel),
      labelled('Language', this.language),
      h('button', { className: 'persona-start', text: 'Start a session as this persona', attrs: { type: 'submit' } }),
    ]);
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      submit(this.read());
    });
  }

  fill(persona: Persona): void {
    this.contactName.value = persona.contactName ?? '';
    this.userId.value = persona.userId ?? '';
    this.channel.value = CHANNELS.find((channel) => channel === persona.channel) ?? 'api';
    this.language.value = persona.language ?? '';
  }

  focus(): void {
    this.contactName.focus();
  }

  private read(): Persona {
    const persona: Persona = { channel: this.channel.value };
    const set = (key: 'contactName' | 'userId' | 'language', input: HTMLInputElement): void => {
      const value = input.value.trim();
      if (value) {
        persona[key] = value;
      }
    };
    set('contactName', this.contactName);
    set('userId', this.userId);
    set('language', this.language);
    return persona;
  }
}

function field(type: string): HTMLInputElement {
  return h('input', { attrs: { type } });
}

function labelled(text: string, control: HTMLElement): HTMLElement {
  return h('label', { className: 'persona-field' }, [h('span', { text }), control]);
}
