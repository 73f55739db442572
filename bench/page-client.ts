/**
 * The browser's side of bench/chronology-page.ts, in a process of its own as a browser is: asked
 * over IPC for N requests of a page, it makes them one after another on one kept-alive HTTP
 * connection, reads each body to its last byte, and answers with the time of each (ms).
 */
import http from 'node:http';

type Ask = { url: string; cookie: string; count: number };

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function fetchOnce(url: string, cookie: string) {
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    http
      .get(url, { agent, headers: { cookie } }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200 && bytes > 0
            ? resolve(performance.now() - started)
            : reject(new Error(`${url}: status ${res.statusCode}, ${bytes} bytes`)),
        );
      })
      .on('error', reject);
  });
}

process.on('message', (ask: Ask) => {
  void (async () => {
    const times: number[] = [];
    for (let i = 0; i < ask.count; i++) times.push(await fetchOnce(ask.url, ask.cookie));
    return times;
  })().then(
    (times) => process.send!({ times }),
    (error: Error) => process.send!({ error: error.message }),
  );
});
