namespace SquadAlbert.Analysis.Storage;

/// <summary>
/// The SquadAlbert database schema as an ordered list of migrations. To change the schema, append one
/// <see cref="SchemaMigration"/> with the next version; never edit or reorder one that has shipped.
/// </summary>
public static class AppSchema
{
    public static IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        SchemaMigration.FromSql(1, "app_meta: key/value facts about this database",
            """
            CREATE TABLE app_meta (
                key   TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) STRICT;
            """),
        SchemaMigration.FromSql(2, "analysis runs: runs, samples, sample_embeddings, run_batches",
            """
            CREATE TABLE runs (
                id                      INTEGER PRIMARY KEY,
                run_key                 TEXT NOT NULL,
                model_path              TEXT NOT NULL,
                model_sha256            TEXT NOT NULL,
                data_files              TEXT NOT NULL,
                preset                  TEXT NOT NULL,
                population              TEXT NOT NULL,
                settings_json           TEXT NOT NULL,
                status                  TEXT NOT NULL CHECK (status IN ('incomplete', 'finished')),
                created_at              TEXT NOT NULL,
                finished_at             TEXT,
                sample_count            INTEGER NOT NULL,
                batch_count             INTEGER NOT NULL,
                window_count            INTEGER,
                exact_match             REAL,
                f1                      REAL,
                mean_loss               REAL
            ) STRICT;
            CREATE INDEX runs_by_key ON runs (run_key);

            CREATE TABLE run_batches (
                run_id                  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                batch_index             INTEGER NOT NULL,
                first_sample            INTEGER NOT NULL,
                sample_count            INTEGER NOT NULL,
                window_count            INTEGER NOT NULL,
                elapsed_ms              INTEGER NOT NULL,
                finished_at             TEXT NOT NULL,
                PRIMARY KEY (run_id, batch_index)
            ) STRICT;

            CREATE TABLE samples (
                run_id                  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                sample_index            INTEGER NOT NULL,
                example_id              TEXT NOT NULL,
                split                   TEXT NOT NULL,
                title                   TEXT NOT NULL,
                question                TEXT NOT NULL,
                context                 TEXT NOT NULL,
                gold_answers_json       TEXT NOT NULL,
                prediction              TEXT NOT NULL,
                prediction_start        INTEGER NOT NULL,
                prediction_end          INTEGER NOT NULL,
                prediction_score        REAL NOT NULL,
                prediction_probability  REAL NOT NULL,
                start_probability       REAL NOT NULL,
                end_probability         REAL NOT NULL,
                nbest_json              TEXT NOT NULL,
                prediction_window       INTEGER,
                window_count            INTEGER NOT NULL,
                gold_positions_json     TEXT NOT NULL,
                loss_window             INTEGER NOT NULL,
                loss_on_cls             INTEGER NOT NULL,
                loss_start              REAL NOT NULL,
                loss_end                REAL NOT NULL,
                loss                    REAL NOT NULL,
                exact_match             INTEGER NOT NULL,
                f1                      REAL NOT NULL,
                best_gold_index         INTEGER NOT NULL,
                token_exact_match       INTEGER NOT NULL,
                token_f1                REAL NOT NULL,
                token_iou               REAL NOT NULL,
                question_type           TEXT NOT NULL,
                question_wh_word        TEXT,
                question_first_words    TEXT NOT NULL,
                answer_type             TEXT NOT NULL,
                question_tokens         INTEGER NOT NULL,
                question_words          INTEGER NOT NULL,
                context_tokens          INTEGER NOT NULL,
                context_words           INTEGER NOT NULL,
                answer_tokens           INTEGER NOT NULL,
                answer_words            INTEGER NOT NULL,
                answer_position         REAL NOT NULL,
                is_multi_window         INTEGER NOT NULL,
                is_question_truncated   INTEGER NOT NULL,
                context_flesch          REAL,
                context_fk_grade        REAL,
                question_flesch         REAL,
                question_fk_grade       REAL,
                prediction_has_quotes   INTEGER NOT NULL,
                prediction_has_brackets INTEGER NOT NULL,
                gold_has_quotes         INTEGER NOT NULL,
                gold_has_brackets       INTEGER NOT NULL,
                relation                TEXT NOT NULL,
                relation_char_distance  INTEGER,
                cluster                 INTEGER,
                PRIMARY KEY (run_id, sample_index)
            ) STRICT;
            CREATE INDEX samples_by_split ON samples (run_id, split);
            CREATE INDEX samples_by_title ON samples (run_id, title);
            CREATE INDEX samples_by_cluster ON samples (run_id, cluster);

            CREATE TABLE sample_embeddings (
                run_id                  INTEGER NOT NULL,
                sample_index            INTEGER NOT NULL,
                kind                    TEXT NOT NULL CHECK (kind IN ('context_mean', 'cls')),
                dimension               INTEGER NOT NULL,
                vector                  BLOB NOT NULL,
                PRIMARY KEY (run_id, sample_index, kind),
                FOREIGN KEY (run_id, sample_index) REFERENCES samples (run_id, sample_index) ON DELETE CASCADE
            ) STRICT;
            """),
        SchemaMigration.FromSql(3, "latent analysis and review: map coordinates, clusters, label-error scores, attributions, review decisions",
            """
            -- One row per sample keeps the map a single indexed scan: coordinates, the HDBSCAN cluster (samples.cluster
            -- is the k-means cluster) and the label-error score live on the sample.
            ALTER TABLE samples ADD COLUMN umap_x REAL;
            ALTER TABLE samples ADD COLUMN umap_y REAL;
            ALTER TABLE samples ADD COLUMN pca_x REAL;
            ALTER TABLE samples ADD COLUMN pca_y REAL;
            ALTER TABLE samples ADD COLUMN hdbscan_cluster INTEGER;
            ALTER TABLE samples ADD COLUMN label_gold_probability REAL;
            ALTER TABLE samples ADD COLUMN label_disjoint_confidence REAL;
            ALTER TABLE samples ADD COLUMN label_gold_disagreement REAL;
            ALTER TABLE samples ADD COLUMN label_answer_occurrences INTEGER;
            ALTER TABLE samples ADD COLUMN label_error_score REAL;
            CREATE INDEX samples_by_hdbscan_cluster ON samples (run_id, hdbscan_cluster);
            CREATE INDEX samples_by_label_error ON samples (run_id, label_error_score DESC);

            -- Each latent stage (umap, pca, kmeans, hdbscan, label_scores) records its settings and results
            -- (e.g. trustworthiness) when it finishes, so a resumed analysis skips finished stages.
            CREATE TABLE latent_stages (
                run_id                  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                stage                   TEXT NOT NULL CHECK (stage IN ('umap', 'pca', 'kmeans', 'hdbscan', 'label_scores')),
                settings_json           TEXT NOT NULL,
                result_json             TEXT NOT NULL,
                finished_at             TEXT NOT NULL,
                PRIMARY KEY (run_id, stage)
            ) STRICT;

            CREATE TABLE clusters (
                run_id                  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                method                  TEXT NOT NULL CHECK (method IN ('kmeans', 'hdbscan')),
                cluster                 INTEGER NOT NULL,
                size                    INTEGER NOT NULL,
                mean_loss               REAL NOT NULL,
                exact_match             REAL NOT NULL,
                f1                      REAL NOT NULL,
                name                    TEXT NOT NULL,
                summary_json            TEXT NOT NULL,
                PRIMARY KEY (run_id, method, cluster)
            ) STRICT;

            CREATE TABLE attributions (
                run_id                  INTEGER NOT NULL,
                sample_index            INTEGER NOT NULL,
                method                  TEXT NOT NULL CHECK (method IN ('integrated_gradients', 'gradient_x_input')),
                target                  TEXT NOT NULL CHECK (target IN ('loss', 'start', 'end')),
                steps                   INTEGER NOT NULL,
                result_json             TEXT NOT NULL,
                completeness_error      REAL,
                created_at              TEXT NOT NULL,
                PRIMARY KEY (run_id, sample_index, method, target, steps),
                FOREIGN KEY (run_id, sample_index) REFERENCES samples (run_id, sample_index) ON DELETE CASCADE
            ) STRICT;

            -- The latest review decision per sample; review_log keeps every decision with its time.
            CREATE TABLE review_decisions (
                run_id                  INTEGER NOT NULL,
                sample_index            INTEGER NOT NULL,
                example_id              TEXT NOT NULL,
                decision                TEXT NOT NULL CHECK (decision IN ('correct', 'wrong', 'ambiguous', 'fixed')),
                note                    TEXT,
                fixed_text              TEXT,
                fixed_start             INTEGER,
                decided_at              TEXT NOT NULL,
                PRIMARY KEY (run_id, sample_index),
                FOREIGN KEY (run_id, sample_index) REFERENCES samples (run_id, sample_index) ON DELETE CASCADE
            ) STRICT;
            CREATE TABLE review_log (
                id                      INTEGER PRIMARY KEY,
                run_id                  INTEGER NOT NULL,
                sample_index            INTEGER NOT NULL,
                example_id              TEXT NOT NULL,
                decision                TEXT NOT NULL,
                note                    TEXT,
                fixed_text              TEXT,
                fixed_start             INTEGER,
                decided_at              TEXT NOT NULL,
                FOREIGN KEY (run_id, sample_index) REFERENCES samples (run_id, sample_index) ON DELETE CASCADE
            ) STRICT;
            """),
        SchemaMigration.FromSql(4, "run_claims: the one writer of an incomplete run, with its heartbeat",
            """
            -- A writer (the CLI or the dashboard) claims an incomplete run before computing it and renews heartbeat_at while it
            -- works, so a second writer of the same run stops instead of writing duplicate rows. The process is recorded so a
            -- claim whose process died (kill -9) is taken over at once on the same host; elsewhere it lapses with its heartbeat.
            CREATE TABLE run_claims (
                run_id                  INTEGER PRIMARY KEY NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                writer_id               TEXT NOT NULL,
                host                    TEXT NOT NULL,
                process_id              INTEGER NOT NULL,
                process_start           TEXT NOT NULL,
                claimed_at              TEXT NOT NULL,
                heartbeat_at            TEXT NOT NULL
            ) STRICT;
            """),
        SchemaMigration.FromSql(5, "learned label-error score: the new components and the label kind",
            """
            -- The components the learned score adds (see LabelErrorComponents) and the kind the review queue filters by.
            -- A run scored before this migration has them NULL until its label_scores stage runs again (its settings
            -- name the weights, so the next `latent` recomputes it).
            ALTER TABLE samples ADD COLUMN label_disjoint_distance REAL;
            ALTER TABLE samples ADD COLUMN label_gold_span_mass REAL;
            ALTER TABLE samples ADD COLUMN label_gold_nbest_rank INTEGER;
            ALTER TABLE samples ADD COLUMN label_answer_type_mismatch REAL;
            ALTER TABLE samples ADD COLUMN label_neighbour_type_disagreement REAL;
            ALTER TABLE samples ADD COLUMN label_kind TEXT CHECK (label_kind IN ('none', 'probably wrong', 'ambiguous'));
            """),
        SchemaMigration.FromSql(6, "label-error component: the outlier annotator",
            """
            -- One annotator of several apart from the others and from the reader (LabelErrorComponents.OutlierAnnotator); NULL
            -- until the label_scores stage runs again (components version 2 makes the next `latent` recompute it).
            ALTER TABLE samples ADD COLUMN label_outlier_annotator REAL;
            """),
        SchemaMigration.FromSql(7, "compact n-best lists: only what the label-error components read; prediction_window dropped",
            """
            -- Nothing read a candidate's window, tokens or score, nor samples.prediction_window, and the n-best lists were the
            -- largest part of every database. json_remove keeps the other fields' text as written (numbers are not re-rounded),
            -- so a label_scores stage computed again reads the same values. The file only shrinks after a VACUUM.
            UPDATE samples SET nbest_json = (
                SELECT json_group_array(json(json_remove(candidate.value, '$.window', '$.start_token', '$.end_token', '$.score')))
                FROM json_each(samples.nbest_json) AS candidate);
            ALTER TABLE samples DROP COLUMN prediction_window;
            """),
        SchemaMigration.FromSql(8, "SQuAD 2.0: answerability, the null answer and the outcome of each sample",
            """
            -- See SampleRecord. Runs computed before this migration are SQuAD 1.1 runs: every question is answerable and
            -- none was abstained on (the defaults); their null scores, span scores and outcomes are NULL until recomputed
            -- (`analyze --force`).
            ALTER TABLE samples ADD COLUMN answerable INTEGER NOT NULL DEFAULT 1;
            ALTER TABLE samples ADD COLUMN null_score REAL;
            ALTER TABLE samples ADD COLUMN null_score_diff REAL;
            ALTER TABLE samples ADD COLUMN no_answer_probability REAL;
            ALTER TABLE samples ADD COLUMN predicted_no_answer INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE samples ADD COLUMN span_exact_match INTEGER;
            ALTER TABLE samples ADD COLUMN span_f1 REAL;
            ALTER TABLE samples ADD COLUMN outcome TEXT
                CHECK (outcome IN ('answer right', 'answer wrong', 'wrong abstention', 'false answer', 'right abstention'));
            CREATE INDEX samples_by_outcome ON samples (run_id, outcome);
            """),
        SchemaMigration.FromSql(9, "what-if variants: edited copies of a sample with the reader's answer on them",
            """
            -- See WhatIf/WhatIfVariantStore. Offsets are UTF-16 code units of the variant's own context.
            CREATE TABLE whatif_variants (
                run_id                  INTEGER NOT NULL,
                sample_index            INTEGER NOT NULL,
                variant_number          INTEGER NOT NULL CHECK (variant_number >= 1),
                example_id              TEXT NOT NULL,
                question                TEXT NOT NULL,
                context                 TEXT NOT NULL,
                gold_text               TEXT,
                gold_start              INTEGER,
                prediction              TEXT NOT NULL,
                prediction_start        INTEGER NOT NULL,
                prediction_end          INTEGER NOT NULL,
                probability             REAL NOT NULL,
                score                   REAL NOT NULL,
                exact_match             INTEGER,
                f1                      REAL,
                nbest_json              TEXT NOT NULL,
                created_at              TEXT NOT NULL,
                PRIMARY KEY (run_id, sample_index, variant_number),
                FOREIGN KEY (run_id, sample_index) REFERENCES samples (run_id, sample_index) ON DELETE CASCADE
            ) STRICT;
            """),
        SchemaMigration.FromSql(10, "counterfactual probes: probe runs over a slice of a run and their per-sample results",
            """
            -- See WhatIf/Probes/ProbeStore. A probe run is one probe over one slice of one analysis run with one seed; its
            -- results are written batch by batch, so an interrupted probe run resumes (same run, probe, seed and slice).
            -- The counts are NULL until it finished. flipped: the reader did not do what a robust reader does (ProbeExpectation).
            CREATE TABLE probe_runs (
                id                      INTEGER PRIMARY KEY,
                run_id                  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                probe                   TEXT NOT NULL CHECK (probe IN ('distractor', 'wh-swap', 'answer-removal', 'entity-swap')),
                seed                    INTEGER NOT NULL,
                slice                   TEXT NOT NULL,
                slice_key               TEXT NOT NULL,
                status                  TEXT NOT NULL CHECK (status IN ('incomplete', 'finished')),
                sample_count            INTEGER NOT NULL,
                applicable_count        INTEGER,
                flip_count              INTEGER,
                mean_f1_change          REAL,
                created_at              TEXT NOT NULL,
                finished_at             TEXT
            ) STRICT;
            CREATE INDEX probe_runs_by_run ON probe_runs (run_id, probe, status);

            CREATE TABLE probe_results (
                probe_run_id            INTEGER NOT NULL REFERENCES probe_runs (id) ON DELETE CASCADE,
                run_id                  INTEGER NOT NULL,
                sample_index            INTEGER NOT NULL,
                applicable              INTEGER NOT NULL,
                not_applicable_reason   TEXT,
                change                  TEXT,
                probed_question         TEXT,
                probed_context          TEXT,
                probed_golds_json       TEXT,
                original_prediction     TEXT NOT NULL,
                original_f1             REAL NOT NULL,
                probed_prediction       TEXT,
                probed_f1               REAL,
                changed                 INTEGER,
                flipped                 INTEGER,
                f1_change               REAL,
                PRIMARY KEY (probe_run_id, sample_index),
                FOREIGN KEY (run_id, sample_index) REFERENCES samples (run_id, sample_index) ON DELETE CASCADE
            ) STRICT;
            """),
    ];

    /// <summary>Opens (creating if needed) the database at <paramref name="databasePath"/>, upgrades it to the latest
    /// schema, and returns the factory for its connections.</summary>
    /// <exception cref="InputException">The database was written by a newer SquadAlbert.</exception>
    public static SqliteConnectionFactory Initialize(string databasePath, TimeSpan? busyTimeout = null)
    {
        var factory = new SqliteConnectionFactory(databasePath, busyTimeout);
        using var connection = factory.Open();
        new SchemaMigrator(Migrations).Migrate(connection);
        return factory;
    }
}
