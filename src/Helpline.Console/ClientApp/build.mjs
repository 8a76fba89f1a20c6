// Builds the advisor console and the supervisors' page into ../wwwroot (which is generated: never
// edit files there by hand).
//   npm run build           minified bundle, no source maps
//   npm run build -- --dev  readable bundle with linked source maps
//   npm run build -- --check  build in memory only, write nothing (used by `npm run check`)
// Output: index.html with app.js (ES module, @microsoft/signalr bundled in) and app.css, the advisor
// console; supervisor.html with supervisor.js (Chart.js bundled in too) and supervisor.css, the
// supervisors' dashboard, reports and staffing; services.html with services.js (Chart.js) and
// services.css, the directory's open referrals and unmet need; directory.html with directory.js and directory.css, the
// directory screen (search, admins' editing, a service's history); plus everything in public/. Each page
// refers to its script and stylesheet with ?v=<content hash> so that a new build is never served from a
// stale browser cache while the file names stay fixed.
import * as esbuild from "esbuild";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "wwwroot");
const dev = process.argv.includes("--dev");
const check = process.argv.includes("--check");

const result = await esbuild.build({
  // Each entry imports its stylesheet, so esbuild writes app.css next to app.js (and so on).
  entryPoints: {
    app: join(here, "src", "main.js"),
    supervisor: join(here, "src", "supervisor", "main.js"),
    services: join(here, "src", "services", "main.js"),
    directory: join(here, "src", "directory", "main.js"),
  },
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome115", "firefox115", "safari16", "edge115"],
  minify: !dev,
  sourcemap: dev ? "linked" : false,
  legalComments: "linked",
  outdir: out,
  write: false,
  logLevel: "warning",
  metafile: true,
});

const files = new Map();
for (const file of result.outputFiles) {
  files.set(file.path.slice(out.length + 1), file.contents);
}

const hash = (name) => createHash("sha256").update(files.get(name)).digest("hex").slice(0, 12);
for (const [page, entry] of [["index.html", "app"], ["supervisor.html", "supervisor"], ["services.html", "services"], ["directory.html", "directory"]]) {
  const html = (await readFile(join(here, "src", page), "utf8"))
    .replace(`${entry}.js?v=dev`, `${entry}.js?v=${hash(`${entry}.js`)}`)
    .replace(`${entry}.css?v=dev`, `${entry}.css?v=${hash(`${entry}.css`)}`);
  if (html.includes("?v=dev")) {
    throw new Error(`src/${page} must refer to ${entry}.js?v=dev and ${entry}.css?v=dev`);
  }
  files.set(page, Buffer.from(html));
}

if (check) {
  console.log(`check passed: ${[...files.keys()].join(", ")}`);
  process.exit(0);
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await cp(join(here, "public"), out, { recursive: true });
for (const [name, contents] of files) {
  await mkdir(dirname(join(out, name)), { recursive: true });
  await writeFile(join(out, name), contents);
}
for (const [name, contents] of files) {
  console.log(`${("wwwroot/" + name).padEnd(32)} ${(contents.length / 1024).toFixed(1).padStart(7)} KiB`);
}
