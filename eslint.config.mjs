// ESLint 9 flat config. eslint-config-next 15 is still written for .eslintrc, so it is
// read through FlatCompat, as Next 15 documents. It registers the react-hooks and
// jsx-a11y plugins (the same packages as ours), so their rule sets are applied here
// without registering the plugins a second time; typescript-eslint is its own flat config
// (its recommended set, plus the two promise rules that read types).
// `npm run lint` fails on any warning.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { FlatCompat } from "@eslint/eslintrc";
import jsxA11y from "eslint-plugin-jsx-a11y";
import tseslint from "typescript-eslint";

const root = dirname(fileURLToPath(import.meta.url));
const compat = new FlatCompat({ baseDirectory: root });

export default tseslint.config(
  {
    ignores: ["lib/generated/**", ".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  ...compat.extends("next/core-web-vitals"),
  tseslint.configs.recommended,
  // jsx-a11y's strict set: the console promises that everything works from the keyboard.
  { name: "jsx-a11y/strict-rules", rules: jsxA11y.flatConfigs.strict.rules },
  {
    settings: { next: { rootDir: "." } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // An unused binding is an error, except one named `_…` to say it is skipped on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // Only pointer handlers are checked on non-interactive and static elements. A keydown
      // handler on a container is how Escape and the Tab trap are delegated for the controls
      // inside it (the mobile menu, the audit filters' action list, the event details sheet):
      // it adds keyboard behaviour to elements that are already reachable, it replaces none.
      // A <dialog> may take onClick: a click on its backdrop lands on the dialog itself, and
      // Escape (native) and its Close button are the keyboard's way out.
      "jsx-a11y/no-noninteractive-element-interactions": [
        "error",
        {
          handlers: ["onClick", "onError", "onLoad", "onMouseDown", "onMouseUp"],
          body: ["onError", "onLoad"],
          dialog: ["onClick"],
          iframe: ["onError", "onLoad"],
          img: ["onError", "onLoad"],
        },
      ],
      "jsx-a11y/no-static-element-interactions": ["error", { handlers: ["onClick", "onMouseDown", "onMouseUp"] }],
    },
  },
  {
    // A promise nobody awaits is how a change lands without its audit row or an error goes
    // unseen; these two rules need the type checker, so they cost the lint a few seconds per
    // hundred files.
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    // autoFocus here is focus management, not a page taking focus: it picks the control a
    // modal <dialog> opens on (Cancel before a destructive action), and on sign-in the first
    // field, then the code field that replaces the password step (focus would be lost with it).
    files: ["components/**/*-dialog.tsx", "components/recovery/issue-reset-link.tsx", "components/auth/sign-in-form.tsx"],
    rules: { "jsx-a11y/no-autofocus": "off" },
  },
);
