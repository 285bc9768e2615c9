/*
 * hlproxy's mbedTLS configuration: a TLS client and nothing more.
 * Selected with -DMBEDTLS_CONFIG_FILE='"hlp_config.h"' (and -I to this
 * directory) for the library AND for every file of ours that includes
 * an mbedTLS header: struct layouts depend on it.
 *
 * One file serves both pinned series. mbedTLS 3.x defines
 * MBEDTLS_VERSION_MAJOR (build_info.h) before it reads this file;
 * 2.28 reads it before version.h, so the macro is undefined there.
 *
 * Both:  TLS 1.2 client, ECDHE-ECDSA / ECDHE-RSA key exchange,
 *        AES-GCM and ChaCha20-Poly1305, P-256 / P-384 / X25519,
 *        RSA (PKCS#1 v1.5 and PSS), X.509 parsing and verification, PEM,
 *        SNI, ALPN, extended master secret, entropy + CTR-DRBG,
 *        message digests and HMAC over SHA-1 and SHA-224/256/384/512,
 *        mbedtls_strerror(), file loading (CA files), a replaceable
 *        allocator (PLATFORM_MEMORY: hlproxy counts and caps it).
 * 3.x:   also TLS 1.3 (ephemeral key exchange), which needs PSA crypto.
 * Left out: server side, DTLS, CBC/CCM/legacy ciphers, static RSA and
 *        (EC)DH key exchanges, PSK, renegotiation, session tickets,
 *        mbedtls_net_*, debug output, self tests.
 */
#ifndef HLP_MBEDTLS_CONFIG_H
#define HLP_MBEDTLS_CONFIG_H

/* ---- system ---- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE      /* certificate validity dates */
#define MBEDTLS_FS_IO               /* mbedtls_x509_crt_parse_file/_path */
#define MBEDTLS_ERROR_C
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY     /* hlproxy counts and caps TLS memory
                                       (mbedtls_platform_set_calloc_free) */

/* ---- randomness ---- */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C

/* ---- digests and HMAC ---- */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA256_C            /* 2.28: also SHA-224 */
#define MBEDTLS_SHA512_C            /* 2.28: also SHA-384 */

/* ---- ciphers ---- */
#define MBEDTLS_CIPHER_C
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C

/* ---- public key ---- */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_OID_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21           /* RSA-PSS: TLS 1.3, modern servers */
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C          /* also client keys, for client certs */

/* ---- certificates ---- */
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT     /* 3.x offers RSA-PSS signature
                                               algorithms only with this: TLS 1.3
                                               servers with RSA keys need it */

/* ---- TLS ---- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE   /* required by TLS 1.3 in 3.x */

#if defined(MBEDTLS_VERSION_MAJOR) && MBEDTLS_VERSION_MAJOR >= 3
/* ---- mbedTLS 3.x only ---- */
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_PSA_CRYPTO_C        /* call psa_crypto_init() before TLS */
#define MBEDTLS_HKDF_C              /* TLS 1.3 key schedule */
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#else
/* ---- mbedTLS 2.28 only ---- */
#define MBEDTLS_X509_CHECK_KEY_USAGE           /* always on in 3.x */
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE  /* always on in 3.x */
/* 3.x checks the configuration by itself; 2.x wants it included here. */
#include "mbedtls/check_config.h"
#endif

#endif /* HLP_MBEDTLS_CONFIG_H */
