import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

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
      if (this.frozen) client.pause();
      upstream.connect(this.targetPort, this.targetHost, () => {
        pair.connected = true;
        if (!this.frozen) this.relay(pair);
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

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  freeze(): void {
    this.frozen = true;
    for (const { client, upstream } of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const pair of this.pairs) if (pair.connected) this.relay(pair);
  }

  private relay({ client, upstream }: Pair): void {
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
