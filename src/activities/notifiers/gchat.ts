// Google Chat incoming webhooks: one card, the message and then each field as its own section, in
// Flagger's grey bold markup. The header names Perch; Flagger's favicon is not Perch's to send.
import { type ChatAlert, type ChatRequest, type ChatTarget, JSON_HEADERS, type Notifier } from './notifier';
import { qualifiedName } from '../../rollout/names';

interface GChatSection {
  widgets: { textParagraph: { text: string } }[];
}

export interface GChatPayload {
  cards: { header: { title: string; subtitle: string }; sections: GChatSection[] }[];
}

const paragraph = (text: string): GChatSection => ({ widgets: [{ textParagraph: { text } }] });
const emphasised = (text: string): string => `<font color=#848484><strong>${text}</strong></font>`;

export function gchatPayload(alert: ChatAlert): GChatPayload {
  return {
    cards: [
      {
        header: { title: 'Perch', subtitle: qualifiedName(alert) },
        sections: [paragraph(emphasised(alert.message)), ...alert.fields.map((f) => paragraph(`${f.name}<br>${emphasised(f.value)}`))],
      },
    ],
  };
}

export const gchat: Notifier = {
  request(alert: ChatAlert, target: ChatTarget): ChatRequest {
    return { url: target.address, headers: { ...JSON_HEADERS }, body: JSON.stringify(gchatPayload(alert)) };
  },
};
