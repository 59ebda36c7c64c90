// Bundle entry.js into ../vendor.js (one minified IIFE) and write ../vendor-licenses.txt.
// Run `npm ci && npm run build` here after changing a version in package.json; commit both outputs.
import { build } from "esbuild";
import { readFileSync, writeFileSync, existsSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const bundled = Object.entries(lock.packages)
  .filter(([path, p]) => path.startsWith("node_modules/") && !p.dev)
  .map(([path, p]) => ({ name: path.slice("node_modules/".length), version: p.version, license: p.license }))
  .sort((a, b) => a.name.localeCompare(b.name));
const banner = "/* kg.html vendor bundle, built by esbuild from npm packages (licence texts: vendor-licenses.txt):\n" +
  bundled.map((p) => ` * ${p.name} ${p.version} (${p.license})`).join("\n") + "\n */";
await build({
  entryPoints: ["entry.js"], bundle: true, minify: true, format: "iife", target: "es2019",
  outfile: "../vendor.js", banner: { js: banner }, legalComments: "none",
});
const texts = bundled.map((p) => {
  const dir = `node_modules/${p.name}`;
  const file = ["LICENSE", "LICENSE.txt", "LICENSE.md", "license"].map((f) => `${dir}/${f}`).find(existsSync);
  return `${p.name} ${p.version} (${p.license})\n${"=".repeat(60)}\n${file ? readFileSync(file, "utf8").trim() : p.license}\n`;
});
writeFileSync("../vendor-licenses.txt", "JavaScript bundled into kg.html (kg/export/assets/vendor.js)\n\n" + texts.join("\n"));
