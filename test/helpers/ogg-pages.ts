// Ogg pages built by hand (RFC 3533 §6), for the tests of Betti's Ogg readers. The CRC is left
// zero: none of those readers checks it.

export interface OggPageSpec {
  serial?: number;
  flags?: number;
  granule?: bigint;
  lacing: number[];
  /** The page body (default: zeros, as many as the lacing values add up to). */
  body?: Buffer;
}

/** One Ogg page: its header, lacing values and body. */
export function oggPage(spec: OggPageSpec): Buffer {
  const head = Buffer.alloc(27 + spec.lacing.length);
  head.write('OggS', 0, 'latin1');
  head[5] = spec.flags ?? 0;
  head.writeBigUInt64LE(spec.granule ?? 0n, 6);
  head.writeUInt32LE(spec.serial ?? 1, 14);
  head[26] = spec.lacing.length;
  spec.lacing.forEach((v, k) => (head[27 + k] = v));
  return Buffer.concat([head, spec.body ?? Buffer.alloc(spec.lacing.reduce((n, v) => n + v, 0))]);
}

/** One Ogg page carrying whole packets, its lacing values saying where each ends. */
export function oggPageOfPackets(serial: number, flags: number, packets: Buffer[]): Buffer {
  const lacing: number[] = [];
  for (const p of packets) {
    for (let n = p.length; ; n -= 255) {
      lacing.push(Math.min(n, 255));
      if (n < 255) break;
    }
  }
  return oggPage({ serial, flags, lacing, body: Buffer.concat(packets) });
}
