using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "hash",
                schema: "console",
                table: "audit_entries",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "previous_hash",
                schema: "console",
                table: "audit_entries",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sequence",
                schema: "console",
                table: "audit_entries",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_sequence",
                schema: "console",
                table: "audit_entries",
                column: "sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_unsealed",
                schema: "console",
                table: "audit_entries",
                column: "id",
                filter: "hash IS NULL");

            // Append-only: an entry may be sealed once (its sequence and hashes set, nothing else changed);
            // every other update, every delete and truncation is refused.
            migrationBuilder.Sql("""
                CREATE FUNCTION console.audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
                       AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.contact_id, NEW.target, NEW.detail, NEW.client_address)
                           IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.contact_id, OLD.target, OLD.detail, OLD.client_address) THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
                END
                $$;
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON console.audit_entries
                    FOR EACH ROW EXECUTE FUNCTION console.audit_entries_append_only();
                CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON console.audit_entries
                    FOR EACH STATEMENT EXECUTE FUNCTION console.audit_entries_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER audit_entries_no_truncate ON console.audit_entries;
                DROP TRIGGER audit_entries_append_only ON console.audit_entries;
                DROP FUNCTION console.audit_entries_append_only();
                """);

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_sequence",
                schema: "console",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_unsealed",
                schema: "console",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "hash",
                schema: "console",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "previous_hash",
                schema: "console",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "sequence",
                schema: "console",
                table: "audit_entries");
        }
    }
}
