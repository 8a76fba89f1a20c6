using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Helpline.ServiceDefaults;

public static class PostgresErrors
{
    /// <summary>True when a save failed on a unique index: the row is already there (a retry or a redelivery).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
    }
}
