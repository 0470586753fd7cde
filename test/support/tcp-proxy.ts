import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

/** PostgreSQL's ReadyForQuery message, idle (`Z`, length 5, `I`): the previous statement is over and committed. */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);

interface Pair {
  client: Socket;
  upstream: Socket;
  connected: boolean;
}

/**
 * A TCP relay between the service and PostgreSQL that a test can cut: `down()` drops every open
 * connection at once and refuses new ones, as a restarting server does; `up()` relays again.
 * `freeze()` stops relaying without closing anything, as a network cut or a hung server does (no
 * reset, no answer: new connections are accepted and left waiting too); `thaw()` relays again.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private plannedCut: { marker: Buffer; resolve: () => void } | null = null;
  private readonly pairs = new Set<Pair>();
  private frozen = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async up(): Promise<this> {
    const server = createServer((client) => {
      const upstream = new Socket();
      const pair: Pair = { client, upstream, connected: false };
      this.pairs.add(pair);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      // Nothing flows until PostgreSQL is reached (and the relay is not frozen).
      client.pause();
      upstream.connect(this.targetPort, this.targetHost, () => {
        pair.connected = true;
        this.relay(pair);
        if (this.frozen) upstream.pause();
        else client.resume();
      });
      client.on('close', () => {
        this.pairs.delete(pair);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /**
   * Once a message containing `marker` goes to PostgreSQL, lets PostgreSQL execute and commit it but
   * never relays its answer: when PostgreSQL is ready for the next query, the relay goes `down()`, as a
   * connection lost between the commit and its acknowledgement. Resolves then.
   */
  cutAfterCommitOf(marker: string): Promise<void> {
    return new Promise((resolve) => {
      this.plannedCut = { marker: Buffer.from(marker, 'utf8'), resolve };
    });
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const { client, upstream, connected } of this.pairs) {
      if (!connected) continue;
      client.resume();
      upstream.resume();
    }
  }

  /** Relays each chunk by hand (not `pipe`), so a planned cut can hold back PostgreSQL's answer. */
  private relay({ client, upstream }: Pair): void {
    let cut: { seen: Buffer; resolve: () => void } | null = null;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      const planned = this.plannedCut;
      if (planned && !cut && chunk.includes(planned.marker)) {
        this.plannedCut = null;
        cut = { seen: Buffer.alloc(0), resolve: planned.resolve };
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) {
        client.write(chunk);
        return;
      }
      // The answer is held back; once PostgreSQL says ReadyForQuery, the statement has committed.
      cut.seen = Buffer.concat([cut.seen, chunk]);
      if (cut.seen.includes(READY_FOR_QUERY)) {
        const { resolve } = cut;
        void this.down().then(resolve);
      }
    });
  }
}
