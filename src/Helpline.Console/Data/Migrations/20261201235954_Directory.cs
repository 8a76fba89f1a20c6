using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Helpline.Console.Data.Migrations
{
    /// <inheritdoc />
    public partial class Directory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "age_group",
                schema: "console",
                table: "contact_records",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "gender",
                schema: "console",
                table: "contact_records",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "outward_code",
                schema: "console",
                table: "contact_records",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "commissioning_bodies",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_commissioning_bodies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "contact_matches",
                schema: "console",
                columns: table => new
                {
                    contact_id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_revision = table.Column<int>(type: "integer", nullable: false),
                    directory_revision = table.Column<long>(type: "bigint", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    local_eligible = table.Column<int>(type: "integer", nullable: false),
                    national_eligible = table.Column<int>(type: "integer", nullable: false),
                    local_available = table.Column<int>(type: "integer", nullable: false),
                    national_available = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_contact_matches", x => x.contact_id);
                    table.ForeignKey(
                        name: "fk_contact_matches_contacts_contact_id",
                        column: x => x.contact_id,
                        principalSchema: "console",
                        principalTable: "contacts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "directory_changes",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<Guid>(type: "uuid", nullable: true),
                    entity = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    entity_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    change = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    snapshot = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_directory_changes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "directory_services",
                schema: "console",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    provider = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    commissioning_body_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    funded_from = table.Column<DateOnly>(type: "date", nullable: true),
                    funded_until = table.Column<DateOnly>(type: "date", nullable: true),
                    areas = table.Column<List<string>>(type: "text[]", nullable: false),
                    relationships = table.Column<List<string>>(type: "text[]", nullable: false),
                    risk_bands = table.Column<List<string>>(type: "text[]", nullable: false),
                    min_age = table.Column<int>(type: "integer", nullable: true),
                    max_age = table.Column<int>(type: "integer", nullable: true),
                    genders = table.Column<List<string>>(type: "text[]", nullable: false),
                    referral_method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    referral_email = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: true),
                    phone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    website = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    referral_fields = table.Column<List<string>>(type: "text[]", nullable: false),
                    hours = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status_until = table.Column<DateOnly>(type: "date", nullable: true),
                    notes = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    sources = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_directory_services", x => x.id);
                    table.ForeignKey(
                        name: "fk_directory_services_commissioning_bodies_commissioning_body_",
                        column: x => x.commissioning_body_id,
                        principalSchema: "console",
                        principalTable: "commissioning_bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "force_areas",
                schema: "console",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    commissioning_body_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_force_areas", x => x.code);
                    table.ForeignKey(
                        name: "fk_force_areas_commissioning_bodies_commissioning_body_id",
                        column: x => x.commissioning_body_id,
                        principalSchema: "console",
                        principalTable: "commissioning_bodies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_directory_changes_entity_entity_id_version",
                schema: "console",
                table: "directory_changes",
                columns: new[] { "entity", "entity_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_directory_services_commissioning_body_id",
                schema: "console",
                table: "directory_services",
                column: "commissioning_body_id");

            migrationBuilder.CreateIndex(
                name: "ix_force_areas_commissioning_body_id",
                schema: "console",
                table: "force_areas",
                column: "commissioning_body_id");

            Helpline.Console.Directory.DirectorySeed.Apply(migrationBuilder, "console");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_matches",
                schema: "console");

            migrationBuilder.DropTable(
                name: "directory_changes",
                schema: "console");

            migrationBuilder.DropTable(
                name: "directory_services",
                schema: "console");

            migrationBuilder.DropTable(
                name: "force_areas",
                schema: "console");

            migrationBuilder.DropTable(
                name: "commissioning_bodies",
                schema: "console");

            migrationBuilder.DropColumn(
                name: "age_group",
                schema: "console",
                table: "contact_records");

            migrationBuilder.DropColumn(
                name: "gender",
                schema: "console",
                table: "contact_records");

            migrationBuilder.DropColumn(
                name: "outward_code",
                schema: "console",
                table: "contact_records");
        }
    }
}
