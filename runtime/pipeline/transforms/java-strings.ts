/** Java's String.split for a literal separator: trailing empty strings are dropped (`"a:"` → `["a"]`). */
export function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.length === 1 && parts[0] === '' && text.length > 0 ? [] : parts;
}
