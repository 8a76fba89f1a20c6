using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Helpline.ServiceDefaults.Security;

/// <summary>
/// A column of a service's schema that holds <see cref="FieldEncryption"/> values: its table, the
/// <see cref="FieldPurpose"/> that decides their active key, the primary key (uuid columns, walked in
/// order), any other uuid columns the associated data needs, and the associated data itself from those
/// values (primary key columns first, then <paramref name="Bound"/>).
/// </summary>
public sealed record EncryptedColumn(string Table, string Column, FieldPurpose Purpose, string[] Key, string[] Bound, Func<Guid[], string> AssociatedData)
{
    public EncryptedColumn(string table, string column, FieldPurpose purpose, string key, Func<Guid, string> associatedData)
        : this(table, column, purpose, [key], [], ids => associatedData(ids[0]))
    {
    }

    public string Name => $"{Table}.{Column}";
}

/// <summary>How many values of a column a rotation run re-encrypted, and how many it left for a concurrent writer (changed between read and update).</summary>
public sealed record RotatedColumn(string Column, int Reencrypted, int Skipped);

/// <summary>
/// Re-encrypts a service's stored values with the active key of their purpose, so that an older key can
/// leave the ring once a run reports 0 everywhere. It walks each <see cref="EncryptedColumn"/> by primary
/// key in batches, one short transaction per batch, and reads only values not already under the active
/// key (<c>v2:&lt;active&gt;:</c>), so a run can stop at any point and the next one carries on, and a
/// second run finds nothing. It is safe while the service runs: each row is updated only where the
/// column still holds the ciphertext it read, so a value written meanwhile (under the active key, by a
/// service already given the new ring) is never overwritten.
/// </summary>
public sealed class FieldKeyRotation(FieldEncryption encryption)
{
    /// <summary>Rows per batch (and per transaction) by default.</summary>
    public const int DefaultBatchSize = 500;

    public async Task<IReadOnlyList<RotatedColumn>> RunAsync(DbContext db, string schema, IEnumerable<EncryptedColumn> columns, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(columns);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var results = new List<RotatedColumn>();
            foreach (var column in columns)
            {
                results.Add(await RotateAsync(connection, schema, column, batchSize, cancellationToken).ConfigureAwait(false));
            }

            return results;
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<RotatedColumn> RotateAsync(DbConnection connection, string schema, EncryptedColumn column, int batchSize, CancellationToken cancellationToken)
    {
        var table = $"{Quote(schema)}.{Quote(column.Table)}";
        var value = Quote(column.Column);
        var keys = string.Join(", ", column.Key.Select(Quote));
        var selected = string.Join(", ", column.Key.Concat(column.Bound).Select(Quote));
        var current = $"v2:{encryption.ActiveKeyId(column.Purpose)}:%";
        int reencrypted = 0, skipped = 0;
        Guid[]? after = null;
        while (true)
        {
            var batch = new List<(Guid[] Ids, string Stored)>();
            await using (var select = connection.CreateCommand())
            {
                var from = after is null ? "" : $" AND ({keys}) > ({string.Join(", ", column.Key.Select((_, i) => $"@a{i}"))})";
                select.CommandText = $"SELECT {selected}, {value} FROM {table} WHERE {value} IS NOT NULL AND {value} NOT LIKE @current{from} ORDER BY {keys} LIMIT {batchSize}";
                Add(select, "current", current);
                for (var i = 0; after is not null && i < after.Length; i++)
                {
                    Add(select, $"a{i}", after[i]);
                }

                await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var width = column.Key.Length + column.Bound.Length;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var ids = new Guid[width];
                    for (var i = 0; i < width; i++)
                    {
                        ids[i] = reader.GetGuid(i);
                    }

                    batch.Add((ids, reader.GetString(width)));
                }
            }

            if (batch.Count == 0)
            {
                return new RotatedColumn(column.Name, reencrypted, skipped);
            }

            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var (ids, stored) in batch)
                {
                    await using var update = connection.CreateCommand();
                    update.Transaction = transaction;
                    var where = string.Join(" AND ", column.Key.Select((k, i) => $"{Quote(k)} = @k{i}"));
                    update.CommandText = $"UPDATE {table} SET {value} = @new WHERE {where} AND {value} = @old";
                    Add(update, "new", encryption.Reencrypt(stored, column.AssociatedData(ids), column.Purpose));
                    Add(update, "old", stored);
                    for (var i = 0; i < column.Key.Length; i++)
                    {
                        Add(update, $"k{i}", ids[i]);
                    }

                    if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                    {
                        reencrypted++;
                    }
                    else
                    {
                        skipped++;
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            after = batch[^1].Ids[..column.Key.Length];
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

public static class FieldKeyRotationCommand
{
    public const string Verb = "rotate-field-keys";

    /// <summary>
    /// <c>rotate-field-keys</c>: re-encrypts <paramref name="columns"/> of the service's schema with the
    /// active keys of its ring (the service's own configuration) and prints, per column, how many values it
    /// re-encrypted. False when <paramref name="args"/> are not this command.
    /// </summary>
    public static async Task<bool> RunAsync<TContext>(IServiceProvider services, string[] args, string schema, IReadOnlyList<EncryptedColumn> columns, TextWriter output)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        if (args is not [Verb])
        {
            return false;
        }

        await using var scope = services.CreateAsyncScope();
        var encryption = scope.ServiceProvider.GetRequiredService<FieldEncryption>();
        var results = await new FieldKeyRotation(encryption)
            .RunAsync(scope.ServiceProvider.GetRequiredService<TContext>(), schema, columns, FieldKeyRotation.DefaultBatchSize, CancellationToken.None).ConfigureAwait(false);
        foreach (var result in results)
        {
            await output.WriteLineAsync($"{result.Column}\t{result.Reencrypted} re-encrypted\t{result.Skipped} changed meanwhile").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"total\t{results.Sum(r => r.Reencrypted)} re-encrypted (active keys: shared {encryption.ActiveKeyId(FieldPurpose.Shared)}, records {encryption.ActiveKeyId(FieldPurpose.Records)})").ConfigureAwait(false);
        return true;
    }
}
