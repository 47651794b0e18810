/*
 * DissectPluginABI: the versioned C function table a run-time plugin receives.
 *
 * Append-only: new entries go at the end and bump DK_ABI_VERSION; the host fills
 * `struct_size`, so a plugin built against an older header reads only what it knows.
 * A plugin exports one symbol, `dissect_plugin_register`, which checks
 * `api->abi_version >= DK_ABI_VERSION_MIN` and registers its protocols through `api`.
 *
 * Licensed under the Apache License, Version 2.0.
 */
#ifndef DISSECT_PLUGIN_ABI_H
#define DISSECT_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DK_ABI_VERSION 1
#define DK_ABI_VERSION_MIN 1

/* Opaque handles owned by the host. */
typedef struct dk_registrar dk_registrar;
typedef struct dk_packet dk_packet;
typedef int32_t dk_field_id;   /* dense field id; 0 = text-only line */
typedef int32_t dk_tree_node;  /* record index; -1 = root, -2 = not building */

/* Field types and bases, numbered as DissectKit's FieldType / FieldBase raw values. */
typedef uint8_t dk_field_type;
typedef uint8_t dk_field_base;

/* What a dissector returns, as DissectResult: kind 0 consumed(n), 1 needMore(n), 2 notMine. */
typedef struct dk_result {
    int32_t kind;
    int32_t amount;
} dk_result;

/* A plugin dissector: `data`/`length` is the payload view, `user` what was registered. */
typedef dk_result (*dk_dissect_fn)(dk_packet *packet, const uint8_t *data, size_t length,
                                   dk_tree_node parent, void *user);

typedef struct dk_host_api {
    uint32_t abi_version;
    uint32_t struct_size;

    /* Registration (called from dissect_plugin_register). */
    dk_field_id (*register_protocol)(dk_registrar *r, const char *name, const char *short_name,
                                     const char *abbrev);
    dk_field_id (*register_field)(dk_registrar *r, dk_field_id proto, const char *name,
                                  const char *abbrev, dk_field_type type, dk_field_base base,
                                  uint64_t bitmask, const char *blurb);
    int (*add_to_table)(dk_registrar *r, const char *table, uint32_t key, dk_field_id proto,
                        dk_dissect_fn fn, void *user);
    int (*add_heuristic)(dk_registrar *r, const char *table, const char *name, dk_field_id proto,
                         dk_dissect_fn fn, void *user);

    /* Per packet (called from a dissector). */
    dk_tree_node (*add_protocol)(dk_packet *p, dk_field_id proto, size_t offset, size_t length,
                                 dk_tree_node parent);
    dk_tree_node (*add_uint)(dk_packet *p, dk_field_id f, size_t offset, size_t length,
                             uint64_t value, dk_tree_node parent);
    dk_tree_node (*add_bytes)(dk_packet *p, dk_field_id f, size_t offset, size_t length,
                              dk_tree_node parent);
    dk_tree_node (*add_string)(dk_packet *p, dk_field_id f, size_t offset, size_t length,
                               dk_tree_node parent);
    void (*set_protocol_column)(dk_packet *p, const char *text);
    void (*set_info)(dk_packet *p, const char *text, size_t length);
    void (*append_info)(dk_packet *p, const char *text, size_t length);
    int (*wants)(dk_packet *p, dk_field_id f);
} dk_host_api;

/* The one symbol a plugin exports. Returns 0 on success. */
typedef int (*dk_plugin_register_fn)(const dk_host_api *api, dk_registrar *registrar);
#define DK_PLUGIN_REGISTER_SYMBOL "dissect_plugin_register"

/* The version of this header, for plugins to report. */
uint32_t dk_abi_header_version(void);

#ifdef __cplusplus
}
#endif

#endif /* DISSECT_PLUGIN_ABI_H */
