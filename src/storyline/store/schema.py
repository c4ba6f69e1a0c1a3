"""Named schema migrations, applied in order and recorded in the ``migrations`` table.

A migration is never edited once released: add a new one. Each stage owns its tables.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_articles",
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT,
            outlet TEXT,
            title TEXT,
            author TEXT,
            language TEXT,
            published TEXT,
            published_source TEXT NOT NULL DEFAULT 'unknown',
            text TEXT,
            credits TEXT NOT NULL DEFAULT '[]',
            content_hash TEXT,
            duplicate_of TEXT,
            similarity REAL,
            event_id TEXT,
            storyline_id TEXT
        );
        CREATE INDEX articles_hash ON articles(content_hash);
        CREATE INDEX articles_status ON articles(status);
        CREATE INDEX articles_event ON articles(event_id);
        CREATE TABLE article_sources (
            source TEXT PRIMARY KEY,
            article_id TEXT NOT NULL
        );
        CREATE TABLE dedup_signatures (
            article_id TEXT PRIMARY KEY,
            signature BLOB NOT NULL
        );
        CREATE TABLE dedup_bands (
            band BLOB NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (band, article_id)
        ) WITHOUT ROWID;
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='seq'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        END;
        """,
    ),
    (
        "0002_stages",
        """
        CREATE TABLE stage_done (
            stage TEXT NOT NULL,
            key TEXT NOT NULL,
            version TEXT NOT NULL,
            PRIMARY KEY (stage, key)
        ) WITHOUT ROWID;
        CREATE TABLE state (
            name TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            data BLOB NOT NULL
        );
        """,
    ),
    (
        "0003_reading",
        """
        CREATE TABLE mentions (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            local_key TEXT,
            entity_id TEXT,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE local_entities (
            key TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX local_entities_article ON local_entities(article_id);
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE TABLE dates (
            article_id TEXT NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (article_id, start, end)
        ) WITHOUT ROWID;
        """,
    ),
    (
        "0004_linking",
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE entity_articles (
            entity_id TEXT NOT NULL,
            article_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            level TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            parent_id TEXT,
            first_seen TEXT,
            last_seen TEXT,
            history TEXT NOT NULL DEFAULT '[]',
            merged_into TEXT
        );
        CREATE INDEX stories_parent ON stories(parent_id);
        """,
    ),
    (
        "0005_briefs",
        """
        CREATE TABLE briefs (
            story_id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """,
    ),
    (
        "0006_link_state",
        """
        CREATE TABLE cluster_state (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE entity_registry (
            key TEXT PRIMARY KEY,
            data TEXT NOT NULL
        );
        """,
    ),
    (
        # Loading a storyline's members looked at every article without it.
        "0007_storyline_index",
        """
        CREATE INDEX articles_storyline ON articles(storyline_id);
        """,
    ),
]
