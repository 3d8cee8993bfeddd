const ASSET_VERSION = comptime(hash("content-v1"));
const TIMEOUT = comptime(30 * 1000);
const PI2 = comptime(Math.PI * 2);
const CONFIG = comptime(JSON.parse('{"timeout": 30, "retries": [1, 2]}'));
const SLUG = comptime("  Hello World  ".trim().toLowerCase().replaceAll(" ", "-"));
const BIG = comptime(2 ** 40);
const TEXT = comptime("tab\there" + "\n");
const FLAGS = comptime(0xFF & ~0x0F);
export function handler() {
  return Response.json({ ASSET_VERSION, TIMEOUT, PI2, CONFIG, SLUG, BIG, TEXT, FLAGS });
}
