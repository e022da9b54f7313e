// Test setup: a clean DOM, storage and Tauri mocks between tests.
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/preact";
import { clearMocks } from "@tauri-apps/api/mocks";

afterEach(() => {
  cleanup();
  clearMocks();
  try {
    localStorage.clear();
  } catch {
    /* no storage in this environment */
  }
});
