import { render } from "preact";
import { App } from "./app/App";
import { applyTheme, storedTheme } from "./app/theme";
import "./styles.css";

applyTheme(storedTheme());
render(<App />, document.getElementById("app")!);
