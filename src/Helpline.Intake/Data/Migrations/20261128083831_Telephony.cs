using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Helpline.Intake.Data.Migrations
{
    /// <inheritdoc />
    public partial class Telephony : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "advisor_id",
                schema: "intake",
                table: "inbound_calls",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "answered_at",
                schema: "intake",
                table: "inbound_calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ended_at",
                schema: "intake",
                table: "inbound_calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ended_by",
                schema: "intake",
                table: "inbound_calls",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<TimeSpan>(
                name: "estimated_wait",
                schema: "intake",
                table: "inbound_calls",
                type: "interval",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "provider_status",
                schema: "intake",
                table: "inbound_calls",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "queue_position",
                schema: "intake",
                table: "inbound_calls",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "queue_updated_at",
                schema: "intake",
                table: "inbound_calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "state",
                schema: "intake",
                table: "inbound_calls",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Queued");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "updated_at",
                schema: "intake",
                table: "inbound_calls",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "closures",
                schema: "intake",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ends_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_closures", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_closures_ends_at",
                schema: "intake",
                table: "closures",
                column: "ends_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "closures",
                schema: "intake");

            migrationBuilder.DropColumn(
                name: "advisor_id",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "answered_at",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "ended_at",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "ended_by",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "estimated_wait",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "provider_status",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "queue_position",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "queue_updated_at",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "state",
                schema: "intake",
                table: "inbound_calls");

            migrationBuilder.DropColumn(
                name: "updated_at",
                schema: "intake",
                table: "inbound_calls");
        }
    }
}
