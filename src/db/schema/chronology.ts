/** Tables of the chronology area (see docs/architecture.md, "Database"). */
export {};
