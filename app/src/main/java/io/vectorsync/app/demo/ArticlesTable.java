package io.vectorsync.app.demo;

import io.vectorsync.app.demo.SampleArticles.Article;
import io.vectorsync.connector.ConnectorConfig;
import io.vectorsync.core.model.TableId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The source table of the demo and the bench, {@code (id serial primary key, title, body, author, category)}, and
 * the changes made to it. Every call opens its own short connection; each change commits at once, as an application
 * writing to the table would.
 */
public final class ArticlesTable {
    private final ConnectorConfig source;
    private final TableId table;

    public ArticlesTable(ConnectorConfig source, TableId table) {
        this.source = source;
        this.table = table;
    }

    public TableId table() {
        return table;
    }

    /** Drops the table if it exists and creates it empty. */
    public void recreate() {
        run("create table " + table, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table.quoted());
                st.execute("CREATE TABLE " + table.quoted() + " (id serial PRIMARY KEY, title text NOT NULL,"
                        + " body text NOT NULL, author text, category text)");
            }
            return null;
        });
    }

    public void drop() {
        run("drop table " + table, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table.quoted());
            }
            return null;
        });
    }

    /** Inserts the articles in one transaction; returns their ids, in order. */
    public List<Integer> insert(List<Article> articles) {
        return run("insert into " + table, c -> {
            c.setAutoCommit(false);
            List<Integer> ids = new ArrayList<>(articles.size());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.quoted()
                    + " (title, body, author, category) VALUES (?, ?, ?, ?)", new String[] {"id"})) {
                for (Article a : articles) {
                    ps.setString(1, a.title());
                    ps.setString(2, a.body());
                    ps.setString(3, a.author());
                    ps.setString(4, a.category());
                    ps.addBatch();
                }
                ps.executeBatch();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    while (keys.next()) {
                        ids.add(keys.getInt(1));
                    }
                }
            }
            c.commit();
            return ids;
        });
    }

    public void updateText(int id, String title, String body) {
        update("UPDATE " + table.quoted() + " SET title = ?, body = ? WHERE id = ?", title, body, id);
    }

    public void updateMetadata(int id, String author, String category) {
        update("UPDATE " + table.quoted() + " SET author = ?, category = ? WHERE id = ?", author, category, id);
    }

    public void delete(int id) {
        run("delete from " + table, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table.quoted() + " WHERE id = ?")) {
                ps.setInt(1, id);
                requireOneRow(ps.executeUpdate(), id);
            }
            return null;
        });
    }

    private void update(String sql, String a, String b, int id) {
        run("update " + table, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, a);
                ps.setString(2, b);
                ps.setInt(3, id);
                requireOneRow(ps.executeUpdate(), id);
            }
            return null;
        });
    }

    private void requireOneRow(int count, int id) {
        if (count != 1) {
            throw new DemoException(table + " has no row with id " + id);
        }
    }

    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T run(String what, Work<T> work) {
        try (Connection c = Jdbc.connect(source.sourceDatabase())) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new DemoException("cannot " + what + " in " + source.address() + ": " + Jdbc.describe(e), e);
        }
    }
}
