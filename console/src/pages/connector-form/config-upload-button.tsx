/**
 * "Upload a config file": a button-styled label around a hidden file input taking a .json or
 * .properties file. The input is cleared after each file is handled, so choosing the same file
 * again (after fixing it on disk) reads it again.
 */
export function ConfigUploadButton({ onFile }: { onFile: (file: File) => Promise<void> }) {
  return (
    <label class="button file-button">
      Upload a config file
      <input type="file" class="visually-hidden" accept=".json,.properties,application/json,text/plain"
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          if (file) void onFile(file).finally(() => { input.value = ''; });
        }} />
    </label>
  );
}
