// Turns a transcript into the files an author can attach to a bug report: JSON with every exchange,
// or Markdown to read. The key is already redacted in exchanges; `secrets` scrubs any copy of it
// that a server may have echoed back, so no export can ever carry it.
import type { GenericMessage } from '../flow/botMessages.js';
import { scrubSecrets } from '../sarufi/redaction.js';
import type { Transcript, TranscriptEntry } from './transcript.js';

export function transcriptToJson(transcript: Transcript, secrets: readonly string[] = []): string {
  const document = { exportedBy: 'Sarufi for VS Code', exportedAt: new Date().toISOString(), ...transcript };
  return scrubSecrets(JSON.stringify(document, null, 2), secrets);
}

export function transcriptToMarkdown(transcript: Transcript, secrets: readonly string[] = []): string {
  const { session } = transcript;
  const lines = [
    `# Chat with ${session.chatbotName}`,
    '',
    `- Chatbot: ${session.chatbotName} (\`${session.chatbotId}\`)`,
    `- Environment: ${session.environment} (${session.baseUrl})`,
    `- Session: ${session.sessionId ? `\`${session.sessionId}\`` : 'none'}${session.createdAt ? `, created ${session.createdAt}` : ''}`,
    `- States visited: ${session.trail.length > 0 ? session.trail.map((s) => `\`${s}\``).join(' → ') : 'none'}`,
    '',
  ];
  for (const entry of transcript.entries) {
    lines.push(...entryToMarkdown(entry), '');
  }
  return scrubSecrets(lines.join('\n'), secrets);
}

function entryToMarkdown(entry: TranscriptEntry): string[] {
  switch (entry.kind) {
    case 'divider':
      return ['---', '', `*${entry.text}* (${entry.at})`];
    case 'error':
      return [`> **Error${entry.status ? ` ${entry.status}` : ''}:** ${entry.message}`];
    case 'turn': {
      const out: string[] = [];
      if (entry.user) {
        out.push(`**You:** ${entry.user.text}${entry.user.buttonId ? ` *(button \`${entry.user.buttonId}\`)*` : ''}`, '');
      }
      const state = entry.currentState ? ` · state \`${entry.currentState}\`` : '';
      out.push(`**Bot** (${entry.status ?? '—'}, ${Math.round(entry.durationMs)} ms${state}):`);
      for (const message of entry.messages) {
        out.push(...messageToMarkdown(message).map((line) => `> ${line}`));
      }
      return out;
    }
  }
}

export function messageToMarkdown(message: GenericMessage): string[] {
  switch (message.type) {
    case 'text':
      return message.text.split('\n');
    case 'buttons':
      return [...message.text.split('\n'), ...message.buttons.map((b) => `- [${b.title}] \`${b.id}\``)];
    case 'list':
      return [
        ...message.text.split('\n'),
        `*${message.button_text}*`,
        ...message.sections.flatMap((section) => {
          const rows = section.rows.map((row) => `${row.title}${row.description ? ` — ${row.description}` : ''} \`${row.id}\``);
          // An untitled section (allowed when it is the only one) lists its rows without a heading.
          return section.title === undefined ? rows.map((row) => `- ${row}`) : [`- **${section.title}**`, ...rows.map((row) => `  - ${row}`)];
        }),
      ];
    case 'image':
      return [`![${message.media_caption ?? 'image'}](${message.media_url})`];
    case 'document':
      return [`📄 [${message.media_filename ?? message.media_url}](${message.media_url})${message.media_caption ? ` — ${message.media_caption}` : ''}`];
    case 'video':
      return [`🎬 [video](${message.media_url})${message.media_caption ? ` — ${message.media_caption}` : ''}`];
    case 'audio':
      return [`🔊 [audio](${message.media_url})`];
    case 'unknown':
      return [`*Unreadable message (${message.reason}):*`, '```json', ...JSON.stringify(message.raw, null, 2).split('\n'), '```'];
  }
}
