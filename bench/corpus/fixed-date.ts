/**
 * The date every generated file carries: pdfkit derives a PDF's file ID from its creation date,
 * docx stamps its core properties and zip members with the clock, so a clock date would change
 * the bytes of every run.
 */
export const CORPUS_DATE = new Date(Date.UTC(2024, 0, 15, 9, 0, 0));
