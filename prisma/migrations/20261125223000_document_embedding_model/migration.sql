-- The embedding model a document's chunks were embedded with, shown with the document so a change
-- of model (which makes old and new vectors incomparable) is visible rather than silent.
ALTER TABLE "documents" ADD COLUMN "embedding_model" VARCHAR(100);
