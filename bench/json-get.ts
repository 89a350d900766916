/** A GET on a fresh loopback connection that parses a JSON answer; for the admin API only. */
import http from 'node:http';

/** GETs `path` and parses the body; rejects on a non-2xx status or after 5 s. */
export function getJson(target: { host: string; port: number; path: string }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get({ ...target, agent: false, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) reject(new Error(`GET ${target.path}: HTTP ${status} ${text}`));
        else resolve(JSON.parse(text) as unknown);
      });
      res.once('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${target.path}: no answer within 5 s`)));
    req.once('error', reject);
  });
}
