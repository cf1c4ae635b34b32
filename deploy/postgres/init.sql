-- The source database (demo) with a sample table, and the pgvector sink database (vectors).
CREATE DATABASE vectors;
\connect vectors
CREATE EXTENSION IF NOT EXISTS vector;
CREATE DATABASE demo;
\connect demo
CREATE TABLE IF NOT EXISTS articles (
    id       serial PRIMARY KEY,
    title    text NOT NULL,
    body     text NOT NULL,
    author   text,
    category text
);
INSERT INTO articles (title, body, author, category) VALUES
    ('Tea', 'Green tea is steamed or pan-fired soon after picking.', 'kim', 'food'),
    ('Vector search', 'An index of embeddings finds the texts closest in meaning to a question.', 'ada', 'tech');
