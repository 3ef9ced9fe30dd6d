// What a container walker throws when the bytes are not the structure it expects. The façade
// (../audio-payload.ts) turns it into a BettiError naming the file; `where` is the byte offset.
export class ContainerError extends Error {
  readonly where: number;
  constructor(message: string, where: number) {
    super(`${message} (at byte ${where})`);
    this.name = 'ContainerError';
    this.where = where;
  }
}
