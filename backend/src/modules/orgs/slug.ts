import { randomBytes } from 'node:crypto';

export function slugify(text: string): string {
  const base = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return base.length >= 2 ? base : `org-${base}`.replace(/-$/, '');
}

/** The slug itself when free, otherwise the slug with a short random suffix. */
export async function uniqueSlug(wanted: string, taken: (slug: string) => Promise<boolean>): Promise<string> {
  const base = slugify(wanted);
  if (!(await taken(base))) return base;
  for (;;) {
    const candidate = `${base}-${randomBytes(3).toString('hex')}`;
    if (!(await taken(candidate))) return candidate;
  }
}
