// CloudFront Function (cloudfront-js-2.0), viewer request.
//
// Puts the release to serve into the URI ("/x" -> "/_r/<release>/x"). The URI is always part of
// the cache key, so every release has its own cache entries: publishing, rolling back and
// previewing each change one KeyValueStore key, and nothing is ever invalidated.
// The Python twin of this logic is select_release() in release_mapping.py.
import cf from 'cloudfront';

// The function has exactly one KeyValueStore associated; it holds the key "live".
const kvsHandle = cf.kvs();

const LIVE_KEY = 'live';
const RELEASE_URI_PREFIX = '/_r/';
const PREVIEW_PARAMETER = '__release';
const PREVIEW_COOKIE = '__release';
const PREVIEW_EXIT_VALUE = 'live';
const RELEASE_ID = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$/;
const COOKIE_ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Lax';

function queryWithout(querystring, name) {
    // Indexed loops: the CloudFront runtime has no for-of.
    const parts = [];
    for (const key in querystring) {
        if (key === name) {
            continue;
        }
        const entry = querystring[key];
        const values = entry.multiValue ? entry.multiValue.map((v) => v.value) : [entry.value];
        for (let i = 0; i < values.length; i++) {
            parts.push(values[i] === '' ? key : key + '=' + values[i]);
        }
    }
    return parts.length ? '?' + parts.join('&') : '';
}

function redirect(location, cookieValue, cookieAttributes) {
    const cookies = {};
    cookies[PREVIEW_COOKIE] = { value: cookieValue, attributes: cookieAttributes };
    return {
        statusCode: 302,
        statusDescription: 'Found',
        headers: {
            location: { value: location },
            'cache-control': { value: 'no-store' },
        },
        cookies: cookies,
    };
}

async function handler(event) {
    const request = event.request;
    const querystring = request.querystring || {};
    const cookies = request.cookies || {};

    const requested = querystring[PREVIEW_PARAMETER];
    if (requested) {
        const location = request.uri + queryWithout(querystring, PREVIEW_PARAMETER);
        if (requested.value === PREVIEW_EXIT_VALUE) {
            return redirect(location, '', 'Max-Age=0; ' + COOKIE_ATTRIBUTES);
        }
        if (RELEASE_ID.test(requested.value)) {
            return redirect(location, requested.value, COOKIE_ATTRIBUTES);
        }
    }

    let release = null;
    const preview = cookies[PREVIEW_COOKIE];
    if (preview && RELEASE_ID.test(preview.value)) {
        release = preview.value;
    } else {
        try {
            const live = await kvsHandle.get(LIVE_KEY);
            if (RELEASE_ID.test(live)) {
                release = live;
            }
        } catch (err) {
            console.log('no live release in the key value store: ' + err);
        }
    }
    if (release === null) {
        return { statusCode: 503, statusDescription: 'Service Unavailable' };
    }
    request.uri = RELEASE_URI_PREFIX + release + request.uri;
    return request;
}
