/**
 * Libraries that only an upload or a download needs, loaded on first use: imported with the rest
 * they would cost every process that starts (the service, each command) about a second between
 * them (ExcelJS 0.7 s, PDFKit 0.4 s of CPU on the reference machine). Node caches a module, so
 * only the first use pays.
 */
export const loadExcelJS = async () => (await import('exceljs')).default;
export const loadPDFKit = async () => (await import('pdfkit')).default;
/** The Word reader and the zip library (briefing imports, subject access answers): 4 MB of heap. */
export const loadMammoth = async () => (await import('mammoth')).default;
export const loadJSZip = async () => (await import('jszip')).default;
