/**
 * Puts the guest's free memory in the same state before each timed write run, so that the
 * append floor and the broker are compared on equal terms.
 *
 * On a virtual machine whose host backs guest memory lazily and takes freed memory back (free
 * page reporting), writing into a page-cache page costs very different amounts depending on
 * where the kernel takes the page from: a page freed moments ago is still backed by the host
 * and costs a copy; a page that has been free for a while (reported) costs a fault in the host
 * first, measured at over 1 ms per MB on ours, more than everything else a broker does with
 * the byte. The kernel hands out recently freed pages first. So whichever run followed a large
 * deletion was cheap and the next one dear: the benchmark once showed the broker at 42% of the
 * floor for 1 KiB records, and a `perf` profile put a third of the broker's CPU in
 * `copy_folio_from_iter_atomic` on pages the floor's run, just before, had not had to fault in.
 *
 * `freshlyFreedPageCache` writes `bytes` to a scratch file and deletes it, leaving that much
 * freshly freed memory for the run that follows at once: the state of a long-running broker,
 * whose page cache is full and whose new segments reuse pages evicted from old ones. On a
 * machine without lazy backing it only costs the time of the write.
 */
import fs from 'node:fs';
import path from 'node:path';

const CHUNK = Buffer.alloc(1024 * 1024, 0x5a);

export function freshlyFreedPageCache(dir: string, bytes: number): void {
  const file = path.join(dir, 'freshly-freed-page-cache.tmp');
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += CHUNK.length) fs.writeSync(fd, CHUNK);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}
