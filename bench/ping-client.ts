/**
 * The other user's side of bench/upload-event-loop.ts, in a process of its own so its clock is not
 * held by the server's event loop: it asks for `/ping` one request after another on one kept-alive
 * connection and, when asked over IPC, answers with the slowest and the 99th percentile answer
 * since the last report (ms), then starts counting again.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let times: number[] = [];
let url: string | null = null;

function pingOnce(target: string) {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    http
      .get(target, { agent }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`${target}: status ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

async function loop() {
  while (url) {
    times.push(await pingOnce(url));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

process.on('message', (ask: { start?: string; report?: true; stop?: true }) => {
  if (ask.start) {
    url = ask.start;
    loop().catch((error: Error) => {
      if (process.connected) process.send!({ error: error.message });
    });
  }
  if (ask.report) {
    const sorted = [...times].sort((a, b) => a - b);
    times = [];
    process.send!({
      count: sorted.length,
      worst: sorted.at(-1) ?? 0,
      p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    });
  }
  if (ask.stop) {
    url = null;
    process.disconnect();
  }
});
