import "./chart.js";
