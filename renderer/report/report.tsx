/**
 * Entry of the HTML report bundle (main/report builds it into one file with the run's data). The
 * data sits in <script type="application/json" id="report-data">; nothing is fetched.
 */
import { createRoot } from "react-dom/client";
import type { ReportData } from "../../shared/plots/report-data.ts";
import "../styles.css";
import { ReportPage } from "./ReportPage.tsx";

const holder = document.getElementById("report-data");
const root = document.getElementById("root");
if (holder === null || root === null) {
  document.body.textContent = "This report has no data (the report-data block is missing).";
} else {
  const data = JSON.parse(holder.textContent ?? "null") as ReportData;
  createRoot(root).render(<ReportPage data={data} />);
}
