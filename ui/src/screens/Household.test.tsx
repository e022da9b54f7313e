import { fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { beforeEach, expect, test } from "vitest";
import { SessionProvider } from "../app/session";
import type { SyncStatus } from "../bindings";
import { fakeShell, household, localOnly, member } from "../test/fake";
import { Household } from "./Household";

const state = household([member("Anna", "child"), member("Mum", "parent")]);
beforeEach(() => localStorage.setItem("hearth.profile", "Mum"));

function renderIt() {
  return render(
    <SessionProvider initial={state}>
      <Household />
    </SessionProvider>,
  );
}

test("members are listed and a parent adds one with a PIN", async () => {
  const shell = fakeShell(state, { add_member: (a) => ({ ...member((a.input as { name: string }).name, "child"), has_pin: true }) });
  const { container } = renderIt();
  expect(container.querySelector('[data-member="Anna"]')).not.toBeNull();
  expect(container.querySelector('[data-member="Mum"]')!.getAttribute("data-role")).toBe("parent");
  const role = document.getElementById("member-role") as HTMLSelectElement;
  expect(Array.from(role.options).map((o) => o.value)).toEqual(["parent", "child"]);
  fireEvent.input(document.getElementById("member-name")!, { target: { value: "Ben" } });
  fireEvent.change(role, { target: { value: "child" } });
  fireEvent.input(document.getElementById("member-pin")!, { target: { value: "8642" } });
  fireEvent.click(document.getElementById("add-member")!);
  await waitFor(() => expect(shell.of("add_member")).toEqual([{ actor: { member: "Mum", pin: null }, input: { name: "Ben", role: "child", pin: "8642" } }]));
});

test("setting a PIN", async () => {
  const shell = fakeShell(state, { set_pin: () => null });
  const { container } = renderIt();
  fireEvent.click(container.querySelector('[data-member="Anna"] .set-pin')!);
  fireEvent.input(await screen.findByLabelText("New PIN (4–6 digits)"), { target: { value: "1234" } });
  fireEvent.click(document.getElementById("save-pin")!);
  await waitFor(() => expect(shell.of("set_pin")).toEqual([{ actor: { member: "Mum", pin: null }, member: "Anna", pin: "1234" }]));
});

test("settings send only what changed", async () => {
  const shell = fakeShell(state, { update_settings: () => state.household });
  renderIt();
  fireEvent.click(document.getElementById("quiet-on")!);
  fireEvent.input(document.getElementById("quiet-from")!, { target: { value: "20:30" } });
  fireEvent.input(document.getElementById("streak-every")!, { target: { value: "5" } });
  fireEvent.click(document.getElementById("save-settings")!);
  await waitFor(() => expect(shell.of("update_settings")).toHaveLength(1));
  expect(shell.of("update_settings")[0]).toEqual({
    actor: { member: "Mum", pin: null },
    input: { name: null, timezone: null, quiet_hours: "20:30-07:00", streak: "5:10:50" },
  });
});

test("connecting a server, when not linked", async () => {
  const shell = fakeShell(state, { connect_server: () => ({ server: "https://h.example", household_id: "hh", device_id: "d1", role: "parent" }) });
  renderIt();
  await waitFor(() => expect(document.getElementById("server-url")).not.toBeNull());
  fireEvent.input(document.getElementById("server-url")!, { target: { value: "https://h.example" } });
  fireEvent.input(document.getElementById("registration-secret")!, { target: { value: "s3cret" } });
  fireEvent.click(document.getElementById("connect-server")!);
  await waitFor(() =>
    expect(shell.of("connect_server")).toEqual([{ actor: { member: "Mum", pin: null }, server: "https://h.example", registration_secret: "s3cret" }]),
  );
});

test("when linked: an invite shows its code and QR; devices can be revoked", async () => {
  const linked: SyncStatus = { ...localOnly, linked: true, server: "https://h.example", device_id: "d1", role: "parent", online: true };
  const shell = fakeShell(state, {
    sync_status: () => linked,
    invite: (a) => ({ code: "K7PX-Q2", role: a.role, expires_at: Date.now() + 15 * 60_000, qr_svg: '<svg id="qr-svg" xmlns="http://www.w3.org/2000/svg"></svg>' }),
    devices: () => [
      { id: "d1", name: "Kitchen", role: "parent", created_at: Date.now(), last_seen_at: null, revoked: false, connected: true },
      { id: "d2", name: "Anna's laptop", role: "child", created_at: Date.now(), last_seen_at: null, revoked: false, connected: false },
    ],
    revoke: () => null,
  });
  const { container } = renderIt();
  await waitFor(() => expect(document.getElementById("create-invite")).not.toBeNull());
  fireEvent.change(document.getElementById("invite-role")!, { target: { value: "parent" } });
  fireEvent.click(document.getElementById("create-invite")!);
  await waitFor(() => expect(document.getElementById("invite-code")?.textContent).toBe("K7PX-Q2"));
  expect(shell.of("invite")).toEqual([{ actor: { member: "Mum", pin: null }, role: "parent" }]);
  expect(document.getElementById("qr-svg")).not.toBeNull();
  expect(container.textContent).toMatch(/expires in 1[45]:\d\d/);
  await waitFor(() => expect(container.querySelector('[data-device="d2"] .revoke-device')).not.toBeNull());
  expect(container.querySelector('[data-device="d1"] .revoke-device')).toBeNull();
  fireEvent.click(container.querySelector('[data-device="d2"] .revoke-device')!);
  fireEvent.click(document.getElementById("confirm-revoke")!);
  await waitFor(() => expect(shell.of("revoke")).toEqual([{ actor: { member: "Mum", pin: null }, device: "d2" }]));
});

const linkedChild: SyncStatus = { ...localOnly, linked: true, server: "https://h.example", device_id: "d1", role: "child", online: true };
const withPin = household([member("Anna", "child"), member("Mum", "parent", true)]);

test("with a child at the computer, inviting asks a parent for their PIN and sends them as the actor", async () => {
  localStorage.setItem("hearth.profile", "Anna");
  const shell = fakeShell(withPin, {
    sync_status: () => linkedChild,
    devices: () => [],
    invite: (a) => ({ code: "ZZ-9", role: a.role, expires_at: Date.now() + 60_000, qr_svg: "<svg></svg>" }),
  });
  render(
    <SessionProvider initial={withPin}>
      <Household />
    </SessionProvider>,
  );
  await waitFor(() => expect(document.getElementById("create-invite")).not.toBeNull());
  expect(document.getElementById("create-invite")!.textContent).toContain("ask a parent");
  fireEvent.click(document.getElementById("create-invite")!);
  fireEvent.input(await screen.findByLabelText(/PIN for Mum/), { target: { value: "2580" } });
  fireEvent.click(document.getElementById("pin-submit")!);
  await waitFor(() => expect(document.getElementById("invite-code")?.textContent).toBe("ZZ-9"));
  expect(shell.of("invite")).toEqual([{ actor: { member: "Mum", pin: "2580" }, role: "child" }]);
  // The profile stays the child's.
  expect(localStorage.getItem("hearth.profile")).toBe("Anna");
});

test("a refused connect (denied) shows the shell's message", async () => {
  localStorage.setItem("hearth.profile", "Anna");
  fakeShell(withPin, {
    connect_server: () => {
      throw { code: "denied", message: "only a parent can do this, and Anna is a child" };
    },
  });
  render(
    <SessionProvider initial={withPin}>
      <Household />
    </SessionProvider>,
  );
  fireEvent.input(document.getElementById("server-url")!, { target: { value: "https://h.example" } });
  fireEvent.click(document.getElementById("connect-server")!);
  fireEvent.input(await screen.findByLabelText(/PIN for Mum/), { target: { value: "2580" } });
  fireEvent.click(document.getElementById("pin-submit")!);
  const toast = await screen.findByRole("alert");
  expect(toast.textContent).toContain("only a parent can do this");
  expect(toast.classList.contains("toast")).toBe(true);
});

test("a parent renames a member and removes another; the one at the computer can't be removed", async () => {
  const shell = fakeShell(state, { rename_member: (a) => member(a.name as string, "child"), archive_member: () => null });
  const { container } = renderIt();
  expect(container.querySelector('[data-member="Mum"] .remove-member')).toBeNull();
  fireEvent.click(container.querySelector('[data-member="Anna"] .rename-member')!);
  const input = document.getElementById("new-name") as HTMLInputElement;
  expect(input.value).toBe("Anna");
  fireEvent.input(input, { target: { value: "An/na" } });
  fireEvent.click(document.getElementById("save-name")!);
  expect((await screen.findByRole("alert")).textContent).toMatch(/can’t contain/);
  fireEvent.input(input, { target: { value: " Annie " } });
  fireEvent.click(document.getElementById("save-name")!);
  await waitFor(() => expect(shell.of("rename_member")).toEqual([{ actor: { member: "Mum", pin: null }, member: "Anna", name: "Annie" }]));
  await waitFor(() => expect(document.getElementById("new-name")).toBeNull());

  fireEvent.click(container.querySelector('[data-member="Anna"] .remove-member')!);
  fireEvent.click(document.getElementById("confirm-remove-member")!);
  await waitFor(() => expect(shell.of("archive_member")).toEqual([{ actor: { member: "Mum", pin: null }, member: "Anna" }]));
  await waitFor(() => expect(document.getElementById("confirm-remove-member")).toBeNull());
});

test("renaming the member at the computer keeps them at it", async () => {
  // Another parent is there to fall back to, were the rename taken for a removal.
  const two = household([member("Anna", "child"), member("Dad", "parent"), member("Mum", "parent")]);
  let current = two;
  fakeShell(two, {
    app_state: () => current,
    rename_member: (a) => {
      current = household([...two.members.slice(0, 2), { ...member("Mum", "parent"), name: a.name as string }]);
      return current.members[2];
    },
  });
  const { container } = render(
    <SessionProvider initial={two}>
      <Household />
    </SessionProvider>,
  );
  fireEvent.click(container.querySelector('[data-member="Mum"] .rename-member')!);
  fireEvent.input(document.getElementById("new-name")!, { target: { value: "Mother" } });
  fireEvent.click(document.getElementById("save-name")!);
  await waitFor(() => expect(container.querySelector('[data-member="Mother"]')?.textContent).toMatch(/using the computer now/));
  await waitFor(() => expect(localStorage.getItem("hearth.profile")).toBe("Mother"));
});
