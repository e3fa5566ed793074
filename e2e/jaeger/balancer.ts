/**
 * A round-robin load balancer for the e2e-jaeger stack: one origin in front of the demo instances,
 * as nginx or a cloud balancer would be. Every HTTP request goes to the next instance (so one page's
 * requests and its span exports spread over all of them), and so does every WebSocket upgrade, on a
 * counter of its own: two pages that connect one after the other land on different instances.
 * The Host header passes through unchanged, so the instances see the one origin the browser sees.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

/** Which instance a WebSocket upgrade went to. */
export interface UpgradeRecord {
  path: string;
  instance: number;
}

export interface Balancer {
  server: Server;
  /** Upgrades in the order they arrived. */
  readonly upgrades: UpgradeRecord[];
}

function headBytes(req: IncomingMessage): string {
  let head = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i < req.rawHeaders.length; i += 2) head += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return head + '\r\n';
}

/** A balancer over `ports` (instances on 127.0.0.1); call `server.listen` yourself. */
export function createBalancer(ports: readonly number[]): Balancer {
  let nextRequest = 0;
  let nextUpgrade = 0;
  const upgrades: UpgradeRecord[] = [];

  const server = createServer((req, res) => {
    const instance = nextRequest++ % ports.length;
    // A connection per request: a kept-alive one can be closed by the instance just as a request
    // goes out on it (a 502 a real balancer hides by retrying), and loopback connections are cheap.
    const { connection: _hopByHop, 'keep-alive': _alsoHopByHop, ...headers } = req.headers;
    const upstream = request(
      { host: '127.0.0.1', port: ports[instance], method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-balancer-instance': String(instance) });
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`balancer: instance ${instance} failed: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const instance = nextUpgrade++ % ports.length;
    upgrades.push({ path: new URL(req.url ?? '/', 'http://x').pathname, instance });
    const upstream = connect(ports[instance]!, '127.0.0.1', () => {
      upstream.write(headBytes(req));
      if (head.length) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', drop);
    socket.on('error', drop);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });

  return { server, upgrades };
}
