import { createHash } from 'node:crypto';

/**
 * Which images were seen before, by a 64-bit prefix of their SHA-1, in an open-addressing table of
 * typed arrays: 12 bytes per distinct image (a 10 GB upload of 12.7 M digits needs ~300 MB at the
 * table's worst load; 60k MNIST digits under 2 MB). A JS Set of strings would cost ~10x that.
 * A false "duplicate" needs a 64-bit collision: about 1e-6 for ten million images.
 */
export class DuplicateIndex {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** Ordinal + 1 of the first image with that hash (0 = empty slot). */
  private first = new Uint32Array(1024);
  private size = 0;

  /** Records the image as number `ordinal`; returns the ordinal of an identical earlier image, or -1. */
  check(pixels: Uint8Array, ordinal: number): number {
    const digest = createHash('sha1').update(pixels).digest();
    const h = digest.readUInt32LE(0);
    const l = digest.readUInt32LE(4);
    const found = this.find(h, l);
    if (found >= 0) return found;
    if ((this.size + 1) * 4 > this.first.length * 3) this.grow();
    this.insert(h, l, ordinal);
    return -1;
  }

  get distinct(): number {
    return this.size;
  }

  private slot(h: number, l: number): number {
    const mask = this.first.length - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    while (this.first[i] !== 0 && !(this.hi[i] === h && this.lo[i] === l)) i = (i + 1) & mask;
    return i;
  }

  private find(h: number, l: number): number {
    const i = this.slot(h, l);
    return this.first[i] === 0 ? -1 : (this.first[i] as number) - 1;
  }

  private insert(h: number, l: number, ordinal: number): void {
    const i = this.slot(h, l);
    this.hi[i] = h;
    this.lo[i] = l;
    this.first[i] = ordinal + 1;
    this.size++;
  }

  private grow(): void {
    const { hi, lo, first } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.first = new Uint32Array(hi.length * 2);
    this.size = 0;
    for (let i = 0; i < first.length; i++) {
      if (first[i] !== 0) this.insert(hi[i] as number, lo[i] as number, (first[i] as number) - 1);
    }
  }
}
