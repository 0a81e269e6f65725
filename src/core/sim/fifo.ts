// A first-in first-out list with O(1) removal at the front. The simulator's per-TCB queues
// (queued sends' marks, pieces awaiting acknowledgment) are taken from the front one by one;
// Array.prototype.shift moves every element once the array is large (V8 cannot trim a large
// array in place: 128 000 shifts take half a second), which made a long run quadratic.

export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** The first item, or undefined when empty. */
  first(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The i-th item from the front (0 is the first). */
  at(i: number): T | undefined {
    return i >= 0 && this.head + i < this.items.length ? this.items[this.head + i] : undefined;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && 2 * this.head >= this.items.length) {
      // Drop the consumed front now and then, so memory follows what is still queued.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i];
  }
}
