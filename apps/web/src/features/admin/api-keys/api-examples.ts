/** The environment variable the examples read the key from: never a real secret on the page. */
export const KEY_PLACEHOLDER = '$INKWELL_API_KEY';

export interface ApiExample {
  readonly id: 'read' | 'models';
  readonly curl: string;
  readonly js: string;
}

/** Example requests against `endpoint` (the API's public base URL, from the API configuration). */
export function apiExamples(endpoint: string): readonly ApiExample[] {
  const base = endpoint.replace(/\/+$/, '');
  return [
    {
      id: 'read',
      curl: `curl -H "X-API-Key: ${KEY_PLACEHOLDER}" \\\n  -F file=@digit.png \\\n  ${base}/v1/read`,
      js: [
        "import { readFile } from 'node:fs/promises';",
        '',
        'const form = new FormData();',
        "form.append('file', new Blob([await readFile('digit.png')], { type: 'image/png' }), 'digit.png');",
        `const res = await fetch('${base}/v1/read', {`,
        "  method: 'POST',",
        "  headers: { 'X-API-Key': process.env.INKWELL_API_KEY },",
        '  body: form,',
        '});',
        'console.log(res.status, await res.json());',
      ].join('\n'),
    },
    {
      id: 'models',
      curl: `curl -H "X-API-Key: ${KEY_PLACEHOLDER}" \\\n  ${base}/v1/models/active`,
      js: [
        `const res = await fetch('${base}/v1/models/active', {`,
        "  headers: { 'X-API-Key': process.env.INKWELL_API_KEY },",
        '});',
        'console.log(res.status, await res.json());',
      ].join('\n'),
    },
  ];
}
