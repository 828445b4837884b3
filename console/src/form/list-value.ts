/**
 * LIST values as Connect reads them: comma-separated, blanks around items ignored, empty items
 * dropped. The form keeps what the user typed while they type and tidies it when they leave the
 * field; a value holding a `${provider:...}` reference is left exactly as written.
 */

export function listItems(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

/** "a, b ,,c" → "a,b,c". */
export function tidyList(value: string): string {
  if (value.includes('${')) return value;
  return listItems(value).join(',');
}
