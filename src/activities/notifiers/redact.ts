// Webhook URLs and tokens are credentials: whoever holds a Slack webhook URL can post to the
// channel. Texts that leave this folder (deliveries go into workflow history, logs to log stores)
// are scrubbed of them, however the text was produced.

const MAX_TEXT = 300;
/** Shorter fragments ("/", "/api") are not secret and would mangle ordinary text. */
const MIN_SECRET = 6;

/** The forms a URL can appear in inside an error or an echoed body. */
export function urlForms(url: string | URL | undefined): string[] {
  if (url === undefined) return [];
  const text = typeof url === 'string' ? url : url.href;
  const forms = [text];
  try {
    const u = new URL(text);
    forms.push(u.href, `${u.origin}${u.pathname}`, `${u.pathname}${u.search}`, u.pathname, decodeURIComponent(u.pathname));
    if (u.password) forms.push(u.password, decodeURIComponent(u.password));
  } catch {
    // Not a URL: the text itself is all there is to hide.
  }
  return forms;
}

export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  const hidden = [...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of hidden) out = out.split(s).join('[redacted]');
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_TEXT ? `${out.slice(0, MAX_TEXT)}…` : out;
}
