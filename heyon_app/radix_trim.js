// PostCSS step of heyon_app/radix_styles.py: drops the rules of Radix Themes' CSS that no
// compiled page can use. A selector is removed when it names
// - the classes of a component no page imports (`.rt-SelectTrigger`, `.rt-BaseMenuItem`);
// - a responsive class for a breakpoint no page's props use (`.xl\:rt-r-size-2`).
// Rules outside Radix's components.css and utilities.css are kept as they are.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = dirname(fileURLToPath(import.meta.url));
// Everything Reflex compiles (pages, memoized components, utils), not what it installs or builds.
const NOT_SOURCES = new Set(["node_modules", "build", "public", "backend"]);
const RADIX_IMPORT = /import\s*\{([^}]*)\}\s*from\s*"@radix-ui\/themes"/g;
// Reflex writes a responsive prop as an object keyed by breakpoint: {["sm"] : "2"}.
const BREAKPOINT_KEY = /\["(xs|sm|md|lg|xl)"\]\s*:/g;
const FAMILY = /\.rt-([A-Z][A-Za-z]*)/g;
const RESPONSIVE = /\.(xs|sm|md|lg|xl)\\:rt-/g;
const TRIMMED = /[\\/]@radix-ui[\\/]themes[\\/](components|utilities)\.css$/;
// The shared parts, and the components built on them.
const BASES = {
  BaseButton: ["Button", "IconButton"],
  BaseCard: ["Card", "RadioCards", "CheckboxCards"],
  BaseCheckbox: ["Checkbox", "CheckboxGroup", "CheckboxCards"],
  BaseDialog: ["Dialog", "AlertDialog"],
  BaseMenu: ["DropdownMenu", "ContextMenu"],
  BaseRadio: ["Radio", "RadioGroup"],
  BaseTabList: ["Tabs", "TabNav"],
};

function sourceDirs() {
  return readdirSync(WEB, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_SOURCES.has(entry.name))
    .filter((entry) => !entry.name.startsWith("."))
    .map((entry) => join(WEB, entry.name));
}

function* scripts(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* scripts(path);
    else if (/\.jsx?$/.test(entry.name)) yield path;
  }
}

/** The Radix Themes components the compiled app imports, and the breakpoints it uses. */
export function usage(dirs = sourceDirs()) {
  const components = new Set();
  const breakpoints = new Set();
  for (const file of dirs.flatMap((dir) => [...scripts(dir)])) {
    const code = readFileSync(file, "utf8");
    for (const [, names] of code.matchAll(RADIX_IMPORT)) {
      for (const spec of names.split(",")) {
        const name = spec.trim().split(/\s+as\s+/)[0];
        if (name) components.add(name);
      }
    }
    for (const [, breakpoint] of code.matchAll(BREAKPOINT_KEY)) breakpoints.add(breakpoint);
  }
  return { components, breakpoints };
}

// A component's classes start with its export's name: Callout -> rt-CalloutRoot,
// rt-CalloutIcon; TextField -> rt-TextFieldRoot.
function familyUsed(family, components) {
  if (family.startsWith("Base")) {
    const base = Object.keys(BASES).find((name) => family.startsWith(name));
    // A shared part not listed above is kept: which components use it is not known.
    return !base || BASES[base].some((name) => components.has(name));
  }
  return [...components].some((name) => family.startsWith(name));
}

function selectorUsed(selector, { components, breakpoints }) {
  return (
    [...selector.matchAll(FAMILY)].every(([, family]) => familyUsed(family, components)) &&
    [...selector.matchAll(RESPONSIVE)].every(([, breakpoint]) => breakpoints.has(breakpoint))
  );
}

export default function radixTrim() {
  return {
    postcssPlugin: "heyon-radix-trim",
    Once(root, { result }) {
      const dirs = sourceDirs();
      const used = usage(dirs);
      if (used.components.size === 0) {
        // Trimming against nothing would strip every component's styles.
        throw new Error(`heyon-radix-trim: no Radix Themes import found under ${WEB}`);
      }
      // In `reflex run`'s dev server, a page that starts using a component re-runs this.
      for (const dir of dirs) {
        result.messages.push({
          type: "dir-dependency",
          plugin: "heyon-radix-trim",
          dir,
          glob: "**/*.{js,jsx}",
          parent: result.opts.from,
        });
      }
      root.walkRules((rule) => {
        if (!TRIMMED.test(rule.source?.input?.file ?? "")) return;
        const selectors = rule.selectors.filter((selector) => selectorUsed(selector, used));
        if (selectors.length === 0) rule.remove();
        else if (selectors.length < rule.selectors.length) rule.selectors = selectors;
      });
      let emptied = true;
      while (emptied) {
        emptied = false;
        root.walkAtRules((atRule) => {
          if (atRule.nodes && atRule.nodes.length === 0) {
            atRule.remove();
            emptied = true;
          }
        });
      }
    },
  };
}
radixTrim.postcss = true;
