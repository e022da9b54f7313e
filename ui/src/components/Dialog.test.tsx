import { fireEvent, render } from "@testing-library/preact";
import { expect, test, vi } from "vitest";
import { Dialog } from "./Dialog";

test("focus starts inside, Tab wraps around, Escape closes, focus goes back", () => {
  const outside = document.createElement("button");
  document.body.appendChild(outside);
  outside.focus();
  const onClose = vi.fn();
  const { unmount } = render(
    <Dialog title="Hello" onClose={onClose}>
      <input id="first" />
      <button id="last">OK</button>
    </Dialog>,
  );
  const dialog = document.querySelector('[role="dialog"]')!;
  expect(dialog.getAttribute("aria-modal")).toBe("true");
  expect(document.getElementById(dialog.getAttribute("aria-labelledby")!)!.textContent).toBe("Hello");
  expect(document.activeElement!.id).toBe("first");
  // Close button, input, OK: Tab from the last wraps to the first.
  document.getElementById("last")!.focus();
  fireEvent.keyDown(document.getElementById("last")!, { key: "Tab" });
  expect(document.activeElement!.getAttribute("aria-label")).toBe("Close");
  fireEvent.keyDown(document.activeElement!, { key: "Tab", shiftKey: true });
  expect(document.activeElement!.id).toBe("last");
  fireEvent.keyDown(document.activeElement!, { key: "Escape" });
  expect(onClose).toHaveBeenCalledTimes(1);
  unmount();
  expect(document.activeElement).toBe(outside);
  outside.remove();
});
