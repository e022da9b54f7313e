/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The Tauri shell loads the built files from ui/dist (relative paths, no
// dev server). JSX is compiled for Preact's automatic runtime by Vite's own
// transformer (tsconfig: jsx react-jsx, jsxImportSource preact).
export default defineConfig({
  base: "./",
  clearScreen: false,
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  resolve: {
    alias: {
      react: "preact/compat",
      "react-dom": "preact/compat",
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    setupFiles: ["src/test/setup.ts"],
  },
});
