/** The renderer's entry: one React root. The API client and the store are created once here. */
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import "./styles.css";

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(<App />);
