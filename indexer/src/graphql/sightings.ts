// Which texts were seen recently, remembered as 31-bit hashes: the query caches admit a text on its second sighting, so
// that a stream of queries that never repeat (pages, ids) does not fill them. Every entry a cache holds outlives the
// young generation and is copied into the old one by the garbage collector; a document or a result that is never asked
// for again made a query ~10 % dearer that way, through longer and more frequent collections.

/** FNV-1a over UTF-16 code units, folded to 31 bits (a small integer for V8: no heap number per entry). */
export function hash31(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 1;
}

export class Sightings {
  private readonly seen = new Set<number>();

  /** @param capacity hashes remembered; all are forgotten at once past it (a cheap, rarely hit bound). */
  constructor(private readonly capacity: number) {}

  /**
   * Whether `text` was seen since the last `clear` (or the set last filled up), and remembers it. A collision of two
   * hashes only admits a text one sighting early.
   */
  seenBefore(text: string): boolean {
    const hash = hash31(text);
    if (this.seen.has(hash)) return true;
    if (this.seen.size >= this.capacity) this.seen.clear();
    this.seen.add(hash);
    return false;
  }

  clear(): void {
    this.seen.clear();
  }
}
