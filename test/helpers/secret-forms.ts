/**
 * Finding a secret in text in the forms it could leak in: as it is, percent-encoded, JSON-escaped,
 * hex, and base64 (standard and URL-safe) at each of the three alignments it can take inside a
 * longer encoded string.
 */

/** The characters of base64(x) that depend on x's bytes only, for x preceded by `offset` bytes. */
function base64Inside(secret: Buffer, offset: 0 | 1 | 2): string {
  const padded = Buffer.concat([Buffer.alloc(offset), secret]);
  // Whole 3-byte groups only: the last, partial one depends on what follows the secret.
  const whole = padded.subarray(0, padded.length - (padded.length % 3));
  const skip = [0, 2, 3][offset]!;
  return whole.toString('base64').slice(skip);
}

/** The forms of `secret` to look for, each with its name. */
export function secretForms(secret: string): [string, string][] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: [string, string][] = [
    ['as it is', secret],
    ['percent-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ x: secret }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['hex', bytes.toString('hex')],
  ];
  for (const offset of [0, 1, 2] as const) {
    const b64 = base64Inside(bytes, offset);
    forms.push([`base64 (+${offset})`, b64]);
    forms.push([`base64url (+${offset})`, b64.replace(/\+/g, '-').replace(/\//g, '_')]);
  }
  // A form too short to mean anything would match by chance.
  return forms.filter(([, f]) => f.length >= 12);
}

/** Each secret (by name) found in `text`, with the form it was found in. */
export function findSecrets(text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets).flatMap(([name, secret]) =>
    secretForms(secret)
      .filter(([, f]) => text.includes(f))
      .map(([form]) => `${name} (${form})`),
  );
}

/** Where the first form of each secret found in `text` is: the line around it. */
export function whereSecrets(text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets).flatMap(([name, secret]) => {
    const hit = secretForms(secret).find(([, f]) => text.includes(f));
    if (!hit) return [];
    const at = text.indexOf(hit[1]);
    const start = text.lastIndexOf('\n', at) + 1;
    const end = text.indexOf('\n', at);
    return [
      `${name} (${hit[0]}): ${text.slice(start, end === -1 ? undefined : end).slice(0, 400)}`,
    ];
  });
}
